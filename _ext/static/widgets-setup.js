// Loaded before require.js and the ipywidgets HTML manager (embed-amd.js) on pages with saved widget state.
// 1. The manager finds its fonts next to the AMD module "@jupyter-widgets/html-manager/dist/..."; map that
//    name to its copy in _static (see `make vendor`), else the browser looks for the fonts beside the page.
var require = {
  paths: {"@jupyter-widgets/html-manager/dist": document.currentScript.src.replace(/[^/]*$/, "") + "html-manager"},
};
// 2. The manager typesets widget labels with MathJax 2's MathJax.Hub.Queue; the site uses MathJax 3
//    (deferred, so ready by DOMContentLoaded, before the manager renders on load): forward to its API.
document.addEventListener("DOMContentLoaded", function () {
  var mj = window.MathJax;
  if (mj && !mj.Hub && mj.startup) {
    mj.Hub = {
      Queue: function () {
        var elements = [].slice.call(arguments).map(function (job) { return job[2]; }).filter(Boolean);
        mj.startup.promise.then(function () { return mj.typesetPromise(elements); });
      },
    };
  }
});
