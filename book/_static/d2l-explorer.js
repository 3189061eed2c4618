// Interactive 2-D trajectories (d2l_lite.explore_2d): every path was computed in NumPy when the book was
// built; this script only draws them with plotly.js (bundled in _static, so it works offline) and swaps the
// drawn path when a slider moves. Without JavaScript the static picture below the figure stays visible.
(function () {
  "use strict";
  var COLORS = ["#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

  function fmt(v) {
    return Math.abs(v) >= 0.001 || v === 0 ? String(+v.toPrecision(4)) : v.toExponential(1);
  }

  function staticPicture(root) {
    // the first static picture after this explorer that no other explorer has claimed
    var imgs = document.querySelectorAll("img.d2l-explorer-static");
    for (var i = 0; i < imgs.length; i++) {
      var img = imgs[i];
      if (!img.dataset.claimed && (root.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        img.dataset.claimed = "1";
        return img;
      }
    }
    return null;
  }

  function render(root) {
    var data = JSON.parse(root.querySelector("script.d2l-explorer-data").textContent);
    var plot = root.querySelector(".d2l-explorer-plot");
    var controls = root.querySelector(".d2l-explorer-controls");
    var idx = data["default"].slice();
    var nRules = data.labels.length;

    function current() { return data.paths[idx.join(",")]; }
    function steps(p) { return p.loss.map(function (_, k) { return k; }); }

    data.sliders.forEach(function (s, k) {
      var label = document.createElement("label");
      label.className = "d2l-explorer-slider";
      var name = document.createElement("span");
      name.textContent = s.label + " = ";
      var value = document.createElement("output");
      value.textContent = fmt(s.values[idx[k]]);
      var input = document.createElement("input");
      input.type = "range";
      input.min = 0;
      input.max = s.values.length - 1;
      input.step = 1;
      input.value = idx[k];
      input.dataset.param = s.name;
      input.setAttribute("aria-label", s.name);
      input.addEventListener("input", function () {
        idx[k] = +input.value;
        value.textContent = fmt(s.values[idx[k]]);
        update();
      });
      label.appendChild(name);
      label.appendChild(value);
      label.appendChild(input);
      controls.appendChild(label);
    });

    var traces = [{
      type: "contour", x: data.contour.x1, y: data.contour.x2, z: data.contour.z, showscale: false,
      ncontours: 14, contours: {coloring: "lines"}, colorscale: [[0, "#1f77b4"], [1, "#1f77b4"]],
      line: {width: 0.7}, hoverinfo: "skip", xaxis: "x", yaxis: "y"
    }];
    current().forEach(function (p, r) {
      var color = COLORS[r % COLORS.length], name = data.labels[r] || "path";
      traces.push({type: "scatter", mode: "lines+markers", x: p.x1, y: p.x2, name: name, legendgroup: name,
                   xaxis: "x", yaxis: "y", line: {color: color}, marker: {size: 4}});
      traces.push({type: "scatter", mode: "lines+markers", x: steps(p), y: p.loss, name: name, legendgroup: name,
                   showlegend: false, xaxis: "x2", yaxis: "y2", line: {color: color}, marker: {size: 4}});
    });
    var layout = {
      title: {text: data.title, font: {size: 13}},
      grid: {rows: 1, columns: 2, pattern: "independent"},
      xaxis: {range: data.view[0], title: {text: "x1"}}, yaxis: {range: data.view[1], title: {text: "x2"}},
      xaxis2: {range: [0, data.steps], title: {text: "step"}}, yaxis2: {type: "log", title: {text: "f(x)"}},
      showlegend: nRules > 1, legend: {orientation: "h", y: -0.25},
      margin: {t: 36, l: 50, r: 10, b: 44}, height: nRules > 1 ? 360 : 320
    };
    Plotly.newPlot(plot, traces, layout, {displayModeBar: false, responsive: true, staticPlot: false});

    function update() {
      var xs = [], ys = [], which = [];
      current().forEach(function (p, r) {
        xs.push(p.x1, steps(p));
        ys.push(p.x2, p.loss);
        which.push(1 + 2 * r, 2 + 2 * r);
      });
      Plotly.restyle(plot, {x: xs, y: ys}, which);
    }

    var img = staticPicture(root);
    if (img) img.style.display = "none";
    root.classList.add("d2l-explorer-live");
  }

  function start() {
    if (typeof Plotly === "undefined") return;      // no plotly: the static pictures stay
    document.querySelectorAll(".d2l-explorer").forEach(function (root) {
      if (!root.classList.contains("d2l-explorer-live")) render(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
