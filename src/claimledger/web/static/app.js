// claimledger web: small comforts only. Every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The claims filters: apply a choice at once.
  document.querySelectorAll("form.filters select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Writes that cannot be undone ask first.
  document.querySelectorAll("form.form").forEach(function (form) {
    var heading = document.querySelector("h1");
    if (heading && /Discredit|verdict|Retract/i.test(heading.textContent)) {
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(heading.textContent.trim() + "? It is recorded in the audit trail for good.")) {
          ev.preventDefault();
        }
      });
    }
  });
  // The origin picture: point at a node to see its line of support alone.
  var picture = document.getElementById("origin-picture");
  if (picture) {
    picture.querySelectorAll(".node").forEach(function (node) {
      var group = Array.prototype.find.call(node.classList, function (c) { return c.indexOf("group-") === 0; });
      if (!group) { return; }
      node.addEventListener("mouseenter", function () {
        picture.classList.add("dim");
        picture.querySelectorAll("." + group).forEach(function (n) { n.classList.add("lit"); });
      });
      node.addEventListener("mouseleave", function () {
        picture.classList.remove("dim");
        picture.querySelectorAll(".lit").forEach(function (n) { n.classList.remove("lit"); });
      });
    });
  }
});
