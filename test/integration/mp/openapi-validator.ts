/*
 * A small validator for the subset of OpenAPI 3.0 schemas the /mp document uses ($ref, type,
 * nullable, properties, required, additionalProperties, items, enum, const, anyOf/oneOf, integer
 * bounds, formats uuid/date-time, pattern), so tests check real responses against the served document.
 */
type Schema = Record<string, unknown>;

export function validateAgainst(document: Schema, schema: Schema, value: unknown, path = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const name = (schema['$ref'] as string).replace('#/components/schemas/', '');
    const target = ((document['components'] as Schema)['schemas'] as Record<string, Schema>)[name];
    if (!target) return [`${path}: unresolved $ref ${String(schema['$ref'])}`];
    return validateAgainst(document, target, value, path);
  }
  if (value === null) return schema['nullable'] === true || schema['type'] === undefined ? [] : [`${path}: null is not allowed`];
  const alternatives = (schema['anyOf'] ?? schema['oneOf']) as Schema[] | undefined;
  if (alternatives) {
    return alternatives.some((alt) => validateAgainst(document, alt, value, path).length === 0) ? [] : [`${path}: matches none of the alternatives`];
  }
  const errors: string[] = [];
  if ('const' in schema && value !== schema['const']) errors.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  switch (schema['type']) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const record = value as Record<string, unknown>;
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      for (const key of (schema['required'] ?? []) as string[]) if (!(key in record)) errors.push(`${path}.${key}: required`);
      for (const [key, inner] of Object.entries(record)) {
        if (properties[key]) errors.push(...validateAgainst(document, properties[key], inner, `${path}.${key}`));
        else if (schema['additionalProperties'] === false) errors.push(`${path}.${key}: not in the schema`);
        else if (typeof schema['additionalProperties'] === 'object') errors.push(...validateAgainst(document, schema['additionalProperties'] as Schema, inner, `${path}.${key}`));
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      value.forEach((item, i) => errors.push(...validateAgainst(document, schema['items'] as Schema, item, `${path}[${i}]`)));
      break;
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string`];
      if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value)) errors.push(`${path}: does not match ${schema['pattern']}`);
      if (schema['format'] === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${path}: not a date-time`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema['type'] === 'integer' && !Number.isInteger(value))) return [`${path}: expected ${String(schema['type'])}`];
      if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: below minimum`);
      if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: above maximum`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: expected a boolean`];
      break;
    default:
      break;
  }
  return errors;
}

/** Validates a response against the document's schema for this path, method and status. */
export function validateResponse(document: Schema, route: string, method: string, status: number, body: unknown): string[] {
  const operation = ((document['paths'] as Record<string, Schema>)[route]?.[method] ?? null) as Schema | null;
  if (!operation) return [`no operation ${method.toUpperCase()} ${route} in the document`];
  const response = (operation['responses'] as Record<string, Schema>)[String(status)];
  if (!response) return [`status ${status} is not documented for ${method.toUpperCase()} ${route}`];
  const content = response['content'] as Record<string, { schema: Schema }> | undefined;
  if (!content) return body === undefined || body === '' || (typeof body === 'object' && body !== null && Object.keys(body).length === 0) ? [] : ['documented without a body'];
  return validateAgainst(document, content['application/json']!.schema, body);
}
