import { app } from "./src/app";
const res = await app.request("/openapi.json");
const doc = (await res.json()) as any;
console.log(
  JSON.stringify(
    doc.components.schemas.ExplainRequest?.properties?.status ??
      doc.paths["/explain"].post.requestBody.content["application/json"].schema.properties.status,
  ),
);
