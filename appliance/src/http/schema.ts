/**
 * A TypeBox schema as plain JSON Schema for fastify and OpenAPI: the SDK's schemas carry
 * `$id`s, which would clash when one schema appears in several routes; everything else is
 * kept as is, so validation is exactly the SDK's.
 */
export function jsonSchema(schema: unknown): Record<string, unknown> {
  return strip(JSON.parse(JSON.stringify(schema)) as unknown) as Record<string, unknown>;
}

function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(Object.entries(x).filter(([k]) => k !== '$id').map(([k, v]) => [k, strip(v)]));
}
