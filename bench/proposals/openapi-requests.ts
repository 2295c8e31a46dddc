/**
 * What GET /openapi.json costs a request, in process: six requests in a row through the app (the
 * first generates the document and builds the answer schemas; the others serve it as built).
 *   npx tsx bench/proposals/openapi-requests.ts
 */
import { app } from "../../src/app";

for (let request = 0; request < 6; request++) {
  const start = performance.now();
  const response = await app.request("/openapi.json");
  const bytes = (await response.text()).length;
  console.log(
    `request ${request + 1}: ${(performance.now() - start).toFixed(1)} ms, ${bytes} bytes, ETag ${response.headers.get("etag")}`,
  );
}
