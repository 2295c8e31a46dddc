/** GET /: the web page for people (being built). */
import { Hono } from "hono";
import type { AppEnv } from "./shared";

export const page = new Hono<AppEnv>();
