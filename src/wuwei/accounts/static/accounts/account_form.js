// Account form: the KA type options follow the segment (an SMB account has no KA type, a key
// account has one or is automatic). The server checks the same rule; this only keeps the
// choice offered consistent while the user edits.
(function () {
  "use strict";
  function sync(segment, kaType) {
    var chosen = segment.value;
    Array.prototype.forEach.call(kaType.options, function (option) {
      var fits = (option.getAttribute("data-segments") || "").split(" ").indexOf(chosen) >= 0;
      option.disabled = !fits;
      option.hidden = !fits;
    });
    var current = kaType.options[kaType.selectedIndex];
    if (current && current.disabled) {
      kaType.value = "";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var segment = document.querySelector("[data-ka-segment=segment]");
    var kaType = document.querySelector("[data-ka-segment=ka_type]");
    if (!segment || !kaType) {
      return;
    }
    segment.addEventListener("change", function () { sync(segment, kaType); });
    sync(segment, kaType);
  });
})();
