// Starts Swagger UI (vendored swagger-ui-dist) on /api/v1/docs with the settings the server put
// in #swagger-settings. "Try it out" calls the API with the signed-in session, so writes carry
// the CSRF token; Bearer tokens work through the "Authorize" button.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (request) {
    if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
    return request;
  };
  window.ui = SwaggerUIBundle(config);
})();
