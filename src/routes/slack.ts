/** POST /integrations/slack/command: the Slack slash command (being built). */
import { Hono } from "hono";
import type { AppEnv } from "./shared";

export const slack = new Hono<AppEnv>();
