// Starts Swagger UI on /openapi.json (FastAPI's own /docs page does this inline, which
// our Content-Security-Policy refuses; and it loads Swagger UI from a CDN).
window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null, // the default asks a public validator about our schema
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
