/** /mcp: the Model Context Protocol endpoint for AI assistants (being built). */
import { Hono } from "hono";
import type { AppEnv } from "./shared";

export const mcp = new Hono<AppEnv>();
