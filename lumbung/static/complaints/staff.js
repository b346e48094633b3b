/* Complaints staff pages: picking an answer template fills the answer's text
   (a <select data-fills="textarea-id"> whose options carry the template text in
   data-body). Without this script the form still works: the server sends the chosen
   template when the text is left empty. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || !select.getAttribute || !select.getAttribute("data-fills")) {
      return;
    }
    var target = document.getElementById(select.getAttribute("data-fills"));
    var option = select.options[select.selectedIndex];
    var body = option ? option.getAttribute("data-body") : null;
    if (target && body !== null) {
      target.value = body;
      target.focus();
    }
  });
})();
