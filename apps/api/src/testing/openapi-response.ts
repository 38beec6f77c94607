/**
 * Checks an answer against the response schema the OpenAPI document declares for it, strictly: a
 * property the schema does not name is a defect too, so the document cannot fall behind what the
 * route really sends (the web client's types are generated from it).
 */
export interface OpenApiSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
  readonly items?: OpenApiSchema;
  readonly additionalProperties?: boolean | OpenApiSchema;
  readonly allOf?: readonly OpenApiSchema[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly anyOf?: readonly OpenApiSchema[];
}

export interface OpenApiResponsesDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { responses?: Readonly<Record<string, { content?: Readonly<Record<string, { schema?: OpenApiSchema }>> }>> }>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, OpenApiSchema>> };
}

/** The schema of `METHOD /path/{template}`'s answer with `status`; throws when the document declares none. */
export function responseSchemaOf(document: OpenApiResponsesDocument, method: string, path: string, status: number): OpenApiSchema {
  const schema = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} declares no application/json schema for ${status}`);
  return schema;
}

/** Every way `value` departs from `schema`, each named by its JSON path; empty when it matches. */
export function schemaDefects(document: OpenApiResponsesDocument, schema: OpenApiSchema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    return target ? schemaDefects(document, target, value, at) : [`${at}: unknown schema ${schema.$ref}`];
  }
  if (value === null) return schema.nullable ? [] : [`${at}: null where the schema does not allow it`];
  if (schema.allOf) return mergedDefects(document, schema.allOf, value, at);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return choices.some((choice) => schemaDefects(document, choice, value, at).length === 0) ? [] : [`${at}: matches none of the schema's alternatives`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string, got ${JSON.stringify(value)}`];
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return [`${at}: "${value}" is not a date-time`];
      if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${at}: "${value}" is not a date`];
      return [];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected a number, got ${JSON.stringify(value)}`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      const items = schema.items;
      return items ? value.flatMap((item, index) => schemaDefects(document, items, item, `${at}[${index}]`)) : [];
    }
    case 'object':
      return objectDefects(document, schema, value, at);
    default:
      return [];
  }
}

function objectDefects(document: OpenApiResponsesDocument, schema: OpenApiSchema, value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
  const record = value as Record<string, unknown>;
  const properties = schema.properties ?? {};
  const defects = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: required but missing`);
  for (const [name, item] of Object.entries(record)) {
    const declared = properties[name];
    if (declared) defects.push(...schemaDefects(document, declared, item, `${at}.${name}`));
    else if (typeof schema.additionalProperties === 'object') defects.push(...schemaDefects(document, schema.additionalProperties, item, `${at}.${name}`));
    else if (schema.additionalProperties !== true) defects.push(`${at}.${name}: sent but not in the schema`);
  }
  return defects;
}

/** allOf: the value is one object described by every part together. */
function mergedDefects(document: OpenApiResponsesDocument, parts: readonly OpenApiSchema[], value: unknown, at: string): string[] {
  const resolved = parts.map((part) => (part.$ref ? (document.components?.schemas?.[part.$ref.replace('#/components/schemas/', '')] ?? {}) : part));
  const merged: OpenApiSchema = {
    type: 'object',
    properties: Object.assign({}, ...resolved.map((part) => part.properties ?? {})),
    required: resolved.flatMap((part) => part.required ?? []),
  };
  return schemaDefects(document, merged, value, at);
}
