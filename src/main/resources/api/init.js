// Swagger UI on this service's own document (relative to the page, /docs, so a proxy's prefix is kept); "Try it out"
// sends the key given under "Authorize".
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
