// Swagger UI on the served contract. "Authorize" takes a bearer token (bin/token prints one); it is kept in this
// browser's local storage so that a reload does not ask again.
window.ui = SwaggerUIBundle({
  url: new URL("../openapi", window.location.href).toString(),
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  displayOperationId: true,
  showExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: "StandaloneLayout"
});
