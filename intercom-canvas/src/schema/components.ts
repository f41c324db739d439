// The Canvas Kit component catalogue as zod schemas, field for field from Intercom's OpenAPI 2.11
// `*_component` schemas (copied to intercom-canvas/reference/intercom-canvas-kit.schema.json; a test
// compares the two so that drift fails the build).
// Objects are strict: Intercom documents no extra keys, and a typo must fail here, not in the inbox.
import { z } from 'zod';
import { Action, UrlAction } from './actions';

const SAVE_STATES = ['unsaved', 'saved', 'failed'] as const;
/** The only value `bottom_margin` takes: it removes the component's 10px bottom margin. */
const BottomMargin = z.enum(['none']);
const SaveState = z.enum(SAVE_STATES);

/** An option of a single-select, dropdown or checkbox (three identical schemas in the OpenAPI file). */
export const OptionSchema = z.strictObject({
  type: z.literal('option'),
  id: z.string(),
  text: z.string(),
  disabled: z.boolean().optional(),
});

/** "Can provide 2 to 10" options (single-select and dropdown). */
const TwoToTenOptions = z.array(OptionSchema).min(2).max(10);

export const TextComponent = z.strictObject({
  type: z.literal('text'),
  id: z.string().optional(),
  /** Markdown, links and bold only: untrusted strings must go through escapeMarkdown first. */
  text: z.string(),
  align: z.enum(['left', 'center', 'right']).optional(),
  style: z.enum(['header', 'paragraph', 'muted', 'error']).optional(),
  bottom_margin: BottomMargin.optional(),
});

export const ButtonComponent = z.strictObject({
  type: z.literal('button'),
  id: z.string(),
  label: z.string(),
  action: Action,
  style: z.enum(['primary', 'secondary', 'link']).optional(),
  disabled: z.boolean().optional(),
});

export const InputComponent = z.strictObject({
  type: z.literal('input'),
  id: z.string(),
  label: z.string().optional(),
  placeholder: z.string().optional(),
  value: z.string().optional(),
  action: Action.optional(),
  save_state: SaveState.optional(),
  disabled: z.boolean().optional(),
});

export const TextAreaComponent = z.strictObject({
  type: z.literal('textarea'),
  id: z.string(),
  label: z.string().optional(),
  placeholder: z.string().optional(),
  value: z.string().optional(),
  error: z.boolean().optional(),
  disabled: z.boolean().optional(),
});

export const SingleSelectComponent = z.strictObject({
  type: z.literal('single-select'),
  id: z.string(),
  options: TwoToTenOptions,
  label: z.string().optional(),
  value: z.string().optional(),
  save_state: SaveState.optional(),
  disabled: z.boolean().optional(),
  action: Action.optional(),
});

export const DropdownComponent = z.strictObject({
  type: z.literal('dropdown'),
  id: z.string(),
  options: TwoToTenOptions,
  label: z.string().optional(),
  value: z.string().optional(),
  save_state: SaveState.optional(),
  disabled: z.boolean().optional(),
});

/**
 * The option array is `option` (singular) in both the OpenAPI schema and the reference table; the
 * official Inbox tutorial's code writes `options`. We follow the schema; this app sends no checkbox.
 */
export const CheckboxComponent = z.strictObject({
  type: z.literal('checkbox'),
  id: z.string(),
  option: z.array(OptionSchema).min(1),
  label: z.string(),
  value: z.array(z.string()).optional(),
  save_state: SaveState.optional(),
  disabled: z.boolean().optional(),
});

/** `list_item_with_image` / `list_item_without_image` in one: an image needs its width and height. */
export const ListItem = z
  .strictObject({
    type: z.literal('item'),
    id: z.string(),
    title: z.string(),
    subtitle: z.string().optional(),
    tertiary_text: z.string().optional(),
    image: z.string().optional(),
    image_width: z.number().int().optional(),
    image_height: z.number().int().optional(),
    rounded_image: z.boolean().optional(),
    disabled: z.boolean().optional(),
    action: Action.optional(),
  })
  .refine((item) => item.image === undefined || (item.image_width !== undefined && item.image_height !== undefined), {
    error: 'a list item with an image needs image_width and image_height',
    path: ['image'],
  });

export const ListComponent = z.strictObject({
  type: z.literal('list'),
  items: z.array(ListItem),
  disabled: z.boolean().optional(),
});

export const DataTableItem = z.strictObject({
  type: z.literal('field-value'),
  field: z.string(),
  value: z.string(),
});

export const DataTableComponent = z.strictObject({
  type: z.literal('data-table'),
  items: z.array(DataTableItem),
});

export const DividerComponent = z.strictObject({
  type: z.literal('divider'),
  id: z.string().optional(),
  bottom_margin: BottomMargin.optional(),
});

export const SpacerComponent = z.strictObject({
  type: z.literal('spacer'),
  id: z.string().optional(),
  size: z.enum(['xs', 's', 'm', 'l', 'xl']).optional(),
});

export const ImageComponent = z.strictObject({
  type: z.literal('image'),
  id: z.string().optional(),
  url: z.string(),
  align: z.enum(['left', 'center', 'right', 'full_width']).optional(),
  width: z.number().int(),
  height: z.number().int(),
  rounded: z.boolean().optional(),
  bottom_margin: BottomMargin.optional(),
  /** URL actions only. */
  action: UrlAction.optional(),
});

/** Every component of the OpenAPI `component` oneOf, by its `type` string. */
export const COMPONENT_SCHEMAS = {
  button: ButtonComponent,
  checkbox: CheckboxComponent,
  dropdown: DropdownComponent,
  input: InputComponent,
  list: ListComponent,
  'single-select': SingleSelectComponent,
  textarea: TextAreaComponent,
  'data-table': DataTableComponent,
  divider: DividerComponent,
  image: ImageComponent,
  spacer: SpacerComponent,
  text: TextComponent,
} as const;
export type ComponentType = keyof typeof COMPONENT_SCHEMAS;

export const Component = z.discriminatedUnion('type', [
  ButtonComponent,
  CheckboxComponent,
  DropdownComponent,
  InputComponent,
  ListComponent,
  SingleSelectComponent,
  TextAreaComponent,
  DataTableComponent,
  DividerComponent,
  ImageComponent,
  SpacerComponent,
  TextComponent,
]);

export type Component = z.infer<typeof Component>;
export type TextComponent = z.infer<typeof TextComponent>;
export type ButtonComponent = z.infer<typeof ButtonComponent>;
export type InputComponent = z.infer<typeof InputComponent>;
export type TextAreaComponent = z.infer<typeof TextAreaComponent>;
export type ListComponent = z.infer<typeof ListComponent>;
export type ListItem = z.infer<typeof ListItem>;
export type DataTableComponent = z.infer<typeof DataTableComponent>;
export type DataTableItem = z.infer<typeof DataTableItem>;
export type Option = z.infer<typeof OptionSchema>;
