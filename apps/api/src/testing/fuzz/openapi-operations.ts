import { sample } from 'openapi-sampler';

type JSONSchema7 = Parameters<typeof sample>[0];

/** The parts of an OpenAPI 3 document the fuzz suite reads. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, JSONSchema7>> };
}

interface OpenApiOperation {
  readonly operationId?: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JSONSchema7 }>> };
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JSONSchema7;
}

/** One operation of the document, with a request built from its own schemas. */
export interface FuzzOperation {
  readonly method: string;
  /** The document's form: `/periods/{periodId}`. */
  readonly path: string;
  readonly label: string;
  readonly pathParams: readonly OpenApiParameter[];
  readonly queryParams: readonly OpenApiParameter[];
  /** JSON, or multipart form fields (files are attached separately); undefined when no body. */
  readonly body: { readonly kind: 'json' | 'multipart'; readonly sample: unknown; readonly files: readonly string[] } | undefined;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document, its body sampled from its schema (examples first). */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: bodyOf(operation, document),
      });
    }
  }
  return operations;
}

function bodyOf(operation: OpenApiOperation, document: OpenApiDocument): FuzzOperation['body'] {
  const content = operation.requestBody?.content ?? {};
  const json = content['application/json']?.schema;
  if (json) return { kind: 'json', sample: sampleOf(json, document), files: [] };
  const multipart = content['multipart/form-data']?.schema;
  if (!multipart) return undefined;
  const resolved = resolve(multipart, document);
  const files = Object.entries(resolved.properties ?? {})
    .filter(([, property]) => typeof property === 'object' && resolve(property, document).format === 'binary')
    .map(([name]) => name);
  const fields = sampleOf(multipart, document) as Record<string, unknown>;
  return { kind: 'multipart', sample: Object.fromEntries(Object.entries(fields).filter(([name]) => !files.includes(name))), files };
}

export function sampleOf(schema: JSONSchema7, document: OpenApiDocument): unknown {
  return sample(schema, { skipReadOnly: true, quiet: true }, document);
}

function resolve(schema: JSONSchema7, document: OpenApiDocument): JSONSchema7 {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return name !== undefined ? (document.components?.schemas?.[name] ?? schema) : schema;
}

export function isNumeric(parameter: OpenApiParameter): boolean {
  return parameter.schema?.type === 'integer' || parameter.schema?.type === 'number';
}

/** A path into a body: `['changes', '0', 'rounding', 'decimals']`. */
export type Slot = readonly string[];

/** The paths of every leaf of `value` for which `keep` holds. */
export function leavesOf(value: unknown, keep: (leaf: unknown) => boolean, prefix: Slot = []): Slot[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leavesOf(item, keep, [...prefix, String(index)]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leavesOf(item, keep, [...prefix, key]));
  return keep(value) ? [prefix] : [];
}

/** A deep copy of `value` with the leaf at `slot` replaced. */
export function replaceLeaf(value: unknown, slot: Slot, leaf: unknown): unknown {
  const [head, ...rest] = slot;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((item, index) => (String(index) === head ? replaceLeaf(item, rest, leaf) : item));
  const record = (value ?? {}) as Record<string, unknown>;
  return { ...record, [head]: replaceLeaf(record[head], rest, leaf) };
}
