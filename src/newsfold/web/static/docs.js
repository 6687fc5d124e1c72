// newsfold: starts Swagger UI (served from this site, never a CDN) over /openapi.json.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    if (typeof window.SwaggerUIBundle !== "function") { return; }
    window.SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout"
    });
  });
})();
