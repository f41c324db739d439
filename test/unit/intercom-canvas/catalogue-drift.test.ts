// Our zod catalogue against Intercom's own OpenAPI 2.11 Canvas Kit schemas (vendored verbatim in
// intercom-canvas/reference/): every component type covered, same property names, same required
// fields, same enum values and primitive types. A change on either side fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMPONENT_SCHEMAS,
  CanvasEvent,
  CanvasObject,
  ContentObject,
  DataTableItem,
  InitializeResponse,
  ListItem,
  OptionSchema,
  SheetAction,
  SubmitAction,
  SubmitResponse,
  UrlAction,
} from '@countersign/intercom-canvas';

interface OpenApiSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  $ref?: string;
}

const REFERENCE = fileURLToPath(new URL('../../../intercom-canvas/reference/intercom-canvas-kit.schema.json', import.meta.url));
const defs = (JSON.parse(readFileSync(REFERENCE, 'utf8')) as { $defs: Record<string, OpenApiSchema> }).$defs;

function def(name: string): OpenApiSchema {
  const schema = defs[name];
  if (!schema) throw new Error(`no $defs/${name} in the reference`);
  return schema;
}
const refName = (ref: string) => ref.replace('#/$defs/', '');

/** allOf merged into one object schema (list_item_with_image / _without_image). */
function flatten(schema: OpenApiSchema): OpenApiSchema {
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => flatten(part.$ref ? def(refName(part.$ref)) : part));
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
    required: parts.flatMap((part) => part.required ?? []),
  };
}

interface JsonSchema {
  type?: string;
  const?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Property names, required names, enum values and primitive types of `ours` match `theirs`. */
function expectSameShape(theirs: OpenApiSchema, ours: z.ZodType): void {
  const mine = jsonSchemaOf(ours);
  const their = flatten(theirs);
  expect(Object.keys(mine.properties ?? {}).sort()).toEqual(Object.keys(their.properties ?? {}).sort());
  expect([...(mine.required ?? [])].sort()).toEqual([...new Set(their.required ?? [])].sort());
  for (const [name, property] of Object.entries(their.properties ?? {})) {
    const myProperty = mine.properties?.[name] ?? {};
    if (property.enum) expect({ name, values: (myProperty.enum ?? [myProperty.const]).slice().sort() }).toEqual({ name, values: property.enum.slice().sort() });
    if (property.type) expect({ name, type: myProperty.type }).toEqual({ name, type: property.type });
  }
}

describe('the component catalogue agrees with Intercom’s OpenAPI 2.11 schemas', () => {
  const componentDefs = (def('component').oneOf ?? []).map((entry) => refName(entry.$ref ?? ''));

  it('covers exactly the component types of the OpenAPI `component` oneOf', () => {
    const types = componentDefs.map((name) => def(name).properties?.type?.enum?.[0]);
    expect(types).toHaveLength(12);
    expect(Object.keys(COMPONENT_SCHEMAS).sort()).toEqual([...types].sort());
  });

  it.each(componentDefs)('%s: same properties, required fields, enums and types', (name) => {
    const type = def(name).properties?.type?.enum?.[0] as keyof typeof COMPONENT_SCHEMAS;
    expectSameShape(def(name), COMPONENT_SCHEMAS[type]);
  });

  it.each([
    ['checkbox_option', OptionSchema],
    ['dropdown_option', OptionSchema],
    ['single_select_option', OptionSchema],
    ['list_item_without_image', ListItem],
    ['data_table_item', DataTableItem],
    ['submit_action_component', SubmitAction],
    ['url_action_component', UrlAction],
    ['sheet_action_component', SheetAction],
    ['content_object', ContentObject],
    ['canvas_object', CanvasObject],
    ['event', CanvasEvent],
    ['initialize_response', InitializeResponse],
    ['submit_response', SubmitResponse],
  ] as const)('%s: same properties, required fields, enums and types', (name, schema) => {
    expectSameShape(def(name), schema);
  });

  it('list_item_with_image: an image needs image_width and image_height', () => {
    expect(new Set(flatten(def('list_item_with_image')).required)).toEqual(new Set(['type', 'id', 'title', 'image', 'image_width', 'image_height']));
    const item = { type: 'item', id: 'a', title: 'A', image: 'https://example.test/a.png' };
    expect(ListItem.safeParse(item).success).toBe(false);
    expect(ListItem.safeParse({ ...item, image_width: 24, image_height: 24 }).success).toBe(true);
  });

  it('the action oneOf is exactly sheet, url and submit', () => {
    const actions = (def('action_component').oneOf ?? []).map((entry) => def(refName(entry.$ref ?? '')).properties?.type?.enum?.[0]);
    expect(actions.sort()).toEqual(['sheet', 'submit', 'url']);
  });
});
