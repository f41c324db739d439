// The canvas router on a real express app listening on 127.0.0.1:0, and an emulated Intercom that
// signs its requests as Canvas Kit does.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { canvasRouter, signCanvasBody, type CanvasRouterOptions } from '@countersign/intercom-canvas';
import { FakeCanvasBackend } from './fake-backend';

export const CLIENT_SECRET = 'test-intercom-client-secret';
export const INSTALL_URL = 'https://countersign.test/intercom/oauth/start';
export const INTERCOM_WORKSPACE = 'ic_workspace_1';
export const WORKSPACE = 'ws_acme';
export const ADMIN = { type: 'admin', id: 991267696, name: 'Ana Teammate', email: 'ana@example.com', has_inbox_seat: true };

export interface CanvasServer {
  url: string;
  backend: FakeCanvasBackend;
  errors: unknown[];
  close(): Promise<void>;
}

export async function startCanvasServer(overrides: Partial<CanvasRouterOptions> = {}, backend = new FakeCanvasBackend()): Promise<CanvasServer> {
  const errors: unknown[] = [];
  const app = express();
  app.use(canvasRouter({ clientSecret: () => CLIENT_SECRET, backend, installUrl: INSTALL_URL, onError: (error) => errors.push(error), ...overrides }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backend,
    errors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Sent {
  status: number;
  body: any;
  text: string;
}

/** POST a body signed with `secret` (or with the given header, or unsigned when it is null). */
export async function post(url: string, body: string, signature: string | null = signCanvasBody(CLIENT_SECRET, body)): Promise<Sent> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-body-signature'] = signature;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left null: the test asserts on text.
  }
  return { status: response.status, body: parsed, text };
}

export function initializeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workspace_id: INTERCOM_WORKSPACE,
    workspace_region: 'us',
    admin: ADMIN,
    conversation: { type: 'conversation', id: 215467, created_at: 1_700_000_000 },
    contact: { type: 'user', id: 'contact_1' },
    ...overrides,
  };
}

export function submitBody(componentId: string, inputValues: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...initializeBody(), component_id: componentId, input_values: inputValues, current_canvas: { content: { components: [] } }, ...overrides };
}
