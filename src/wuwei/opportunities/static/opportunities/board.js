// Pipeline board: drag a card to another stage column → htmx POST to the stage service.
// A refused move (409: a rule or stage gate) snaps the card back and shows the reasons.
(function () {
  "use strict";
  var pending = null; // {item, from, index}: where a card in flight came from

  function snapBack() {
    if (!pending) return;
    var sibling = pending.from.children[pending.index] || null;
    pending.from.insertBefore(pending.item, sibling);
    pending = null;
  }

  function move(event) {
    var board = document.getElementById("board");
    var item = event.item;
    if (event.from === event.to) return; // order inside a column means nothing
    pending = { item: item, from: event.from, index: event.oldIndex };
    var url = board.dataset.moveUrl.replace("/0/", "/" + item.dataset.id + "/");
    htmx.ajax("POST", url, {
      source: "#board-move-form",
      target: "#board-feedback",
      swap: "innerHTML",
      values: {
        to: event.to.dataset.stage,
        version: item.dataset.version,
        filters: window.location.search.replace(/^\?/, ""),
      },
    });
  }

  function init() {
    document.querySelectorAll("#board .ww-cards").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      Sortable.create(list, {
        group: "board",
        animation: 120,
        draggable: ".ww-deal",
        filter: "a",
        preventOnFilter: false,
        forceFallback: true, // mouse and touch events, the same in every browser
        onEnd: move,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init); // the board re-rendered by filters

  // A refusal is an answer to show, not a failure to hide: swap 4xx bodies into the feedback.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || (elt.id !== "board-move-form" && !elt.dataset.boardMove)) {
      return;
    }
    var status = event.detail.xhr.status;
    if (status >= 400) {
      snapBack();
      event.detail.shouldSwap = status < 500;
      event.detail.isError = status >= 500;
    } else {
      pending = null;
    }
  });
  document.addEventListener("htmx:sendError", snapBack);

  // A move made from the feedback (a manager's override of a stage gate): the card is still
  // in the column it sprang back to, so carry it to the stage it reached.
  document.addEventListener("htmx:afterSettle", function () {
    var done = document.querySelector("#board-feedback [data-moved]");
    if (!done) return;
    var card = document.getElementById("card-" + done.dataset.moved);
    var list = document.querySelector('#board .ww-cards[data-stage="' + done.dataset.stage + '"]');
    if (card && list && card.parentElement !== list) list.insertBefore(card, list.firstChild);
  });
})();
