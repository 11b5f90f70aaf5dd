/* Draws the dashboard's charts and province map with the locally served ECharts. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }  /* no cases: no charts */
  var data = JSON.parse(source.textContent);
  var drawn = [];
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  data.charts.forEach(function (chart) {
    var el = document.getElementById("chart-" + chart.key);
    if (!el || !chart.bars.length) { return; }
    el.style.height = Math.max(160, 26 * chart.bars.length) + "px";
    el.nextElementSibling.hidden = true;
    var c = echarts.init(el);
    drawn.push(c);
    c.setOption({
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: chart.bars.map(function (b) { return b.label; }) },
      series: [{ type: "bar", data: chart.bars.map(function (b) { return b.n; }), label: { show: true, position: "right" } }],
      tooltip: {}
    });
  });
  var mapEl = document.getElementById("map");
  if (!mapEl || !echarts.getMap("china")) { return; }
  /* the map's region names are Chinese (浙江省); the data and labels use short names */
  var known = Object.keys(data.province_names).concat(Object.keys(data.provinces));
  function shortOf(full) {
    return known.find(function (s) { return full === s || full.indexOf(s) === 0; });
  }
  function label(full) { var s = shortOf(full); return (s && data.province_names[s]) || full; }
  /* hidden (a narrow screen shows the tile map alone): drawn once it shows */
  function drawMap() {
    if (mapEl.dataset.rendered || !mapEl.offsetWidth) { return; }
    var values = [];
    var max = 1;
    echarts.getMap("china").geoJSON.features.forEach(function (f) {
      var s = shortOf(f.properties.name);
      if (s && data.provinces[s]) {
        values.push({ name: f.properties.name, value: data.provinces[s] });
        max = Math.max(max, data.provinces[s]);
      }
    });
    var m = echarts.init(mapEl);
    drawn.push(m);
    m.setOption({
      tooltip: { trigger: "item", formatter: function (p) { return label(p.name) + ": " + (p.value || 0); } },
      visualMap: { min: 0, max: max, left: "left", bottom: 10, calculable: true, inRange: { color: ["#eef4fb", "#1f5fa8"] } },
      series: [{ type: "map", map: "china", roam: false, data: values,
                 emphasis: { label: { show: true, formatter: function (p) { return label(p.name); } } } }]
    });
    mapEl.dataset.rendered = "1";
  }
  drawMap();
  window.addEventListener("resize", drawMap);
})();
