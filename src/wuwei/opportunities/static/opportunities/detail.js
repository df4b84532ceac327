// Deal page: open the tab named in the URL hash (#strategy, #value, #team…) and keep the hash
// in step with the tab shown, so a link such as /opportunities/7/#strategy lands on that tab
// and a reload stays there. Works for every tab, built-in or registered by another area.
(function () {
  function keyFromHash() {
    var key = (window.location.hash || "").slice(1);
    try { key = decodeURIComponent(key); } catch (e) { return ""; }
    return key.replace(/^(tab|pane)-/, "");
  }

  function show(key) {
    var button = key ? document.getElementById("tab-" + key) : null;
    if (!button || !window.bootstrap) return false;
    window.bootstrap.Tab.getOrCreateInstance(button).show();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var tabs = document.querySelector('[data-testid="tabs"]');
    if (!tabs) return;
    show(keyFromHash());
    tabs.addEventListener("shown.bs.tab", function (event) {
      var key = event.target.id.replace(/^tab-/, "");
      if (keyFromHash() !== key && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + key);
      }
    });
    window.addEventListener("hashchange", function () { show(keyFromHash()); });
  });
})();
