"""Library facts for a case: province, region and library type, each with its basis."""

from __future__ import annotations

from dataclasses import dataclass, replace

from libinnov.cases.model import Case
from libinnov.codebook.derive import derive_region
from libinnov.codebook.io import default_codebook
from libinnov.codebook.model import Codebook
from libinnov.gazetteer.kinds import KindFinding, kind_of
from libinnov.gazetteer.locate import from_table, locate
from libinnov.gazetteer.tables import match_key

FIELDS = ("province", "region", "library_type")


@dataclass(frozen=True)
class LibraryFacts:
    """What the gazetteer could tell about one library, and how.

    ``basis`` has one line per field ("province: curated table (复旦大学)") so a
    user can audit every answer; ``needs_review`` names the fields left open (their
    value is None).
    """

    province: str | None = None
    region: str | None = None
    library_type: str | None = None
    needs_review: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The basis as one line."""
        return "; ".join(self.basis)


def infer_library_type(name: str, codebook: Codebook | None = None) -> str | None:
    """The library_type code a library's name implies, or None when nothing tells."""
    return library_kind(name, codebook or default_codebook()).code


def library_kind(name: str, codebook: Codebook) -> KindFinding:
    """The library_type code a library's name implies, with the word that decided it.

    Specific words decide first; then the curated table; "图书馆" alone means public.
    """
    if "library_type" not in codebook:
        return KindFinding(None, "the codebook has no library_type dimension")
    dimension = codebook.dimension("library_type")
    key = match_key(name)
    found = kind_of(key, dimension)
    if found.code is not None and not found.weak:
        return found
    table = from_table(key)
    if table is not None and table.institution.library_type in dimension.code_keys:
        why = f"curated table ({table.institution.name})"
        return KindFinding(table.institution.library_type, why)
    return found


def infer_library_facts(
    library: str, address: str | None = None, codebook: Codebook | None = None
) -> LibraryFacts:
    """Province, region and library type of a library, from its name and address.

    >>> infer_library_facts("温州市图书馆").province
    '浙江'
    """
    codebook = codebook or default_codebook()
    where = locate(match_key(library or ""), match_key(address or ""))
    kind = library_kind(library or "", codebook)
    region = derive_region(where.province, codebook) if where.province else None
    if where.province is None:
        region_why = "no province"
    elif region is None:
        region_why = f"the codebook puts {where.province} in no region"
    else:
        region_why = f"from the province {where.province}"
    review = [
        field
        for field, value in zip(
            FIELDS, (where.province, region, kind.code), strict=True
        )
        if value is None and (field == "province" or field in codebook)
    ]
    basis = (
        f"province: {where.reason}",
        f"region: {region_why}",
        f"library_type: {kind.reason}",
    )
    return LibraryFacts(where.province, region, kind.code, tuple(review), basis)


def enrich_case(case: Case, codebook: Codebook | None = None) -> Case:
    """Fill a case's missing province, region and library type from its library.

    Values given in the input always win (a given province also fixes the region); a
    field that stays unknown is added to ``needs_review`` instead of being guessed.
    """
    codebook = codebook or default_codebook()
    codes = dict(case.codes)
    wanted = [
        f for f in ("region", "library_type") if f in codebook and not codes.get(f)
    ]
    if case.province and not wanted:
        return case
    address = case.extra.get("address")
    facts = infer_library_facts(case.library, str(address or ""), codebook)
    province = case.province or _agreeing(facts.province, codes.get("region"), codebook)
    if "region" in wanted and province:
        region = derive_region(province, codebook)
        if region:
            codes["region"] = region
    if "library_type" in wanted and facts.library_type:
        codes["library_type"] = facts.library_type
    review = list(case.needs_review)
    values = {"province": province, **codes}
    for field in FIELDS:
        known = field == "province" or field in codebook
        if known and not values.get(field) and field not in review:
            review.append(field)
    return replace(case, province=province, codes=codes, needs_review=tuple(review))


def _agreeing(province: str | None, region: object, codebook: Codebook) -> str | None:
    """An inferred province, unless it contradicts a region given in the input."""
    if province is None or not region:
        return province
    return province if derive_region(province, codebook) in (None, region) else None
