/**
 * Turns a create or update body into checked field values, against the catalog: unknown and
 * read-only fields are refused, values must match the field's type (and enum), and on create
 * every required field must be present. Each refusal names the field.
 */
import { invalidRequest } from './api-error.js';
import type { CatalogEntry, CatalogField } from './catalog.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_STRING = 10_000;

function checkValue(entry: CatalogEntry, field: CatalogField, value: unknown): unknown {
  const where = `Field '${field.name}' of ${entry.type}`;
  if (value === null) {
    if (field.required) throw invalidRequest(`${where} is required and cannot be null.`);
    return null;
  }
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`${where} must be a number.`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidRequest(`${where} must be true or false.`);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.enum?.includes(value)) {
        throw invalidRequest(`${where} must be one of: ${field.enum?.join(', ')}.`);
      }
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        throw invalidRequest(`${where} must be a date in YYYY-MM-DD format.`);
      }
      return value;
    case 'datetime':
      if (typeof value !== 'string' || !DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalidRequest(`${where} must be an ISO 8601 date-time like 2025-06-02T09:00:00Z.`);
      }
      return new Date(value).toISOString();
    default:
      if (typeof value !== 'string') throw invalidRequest(`${where} must be a string.`);
      if (value.length > MAX_STRING) throw invalidRequest(`${where} is longer than ${MAX_STRING} characters.`);
      if (field.required && value.trim() === '') throw invalidRequest(`${where} is required and cannot be empty.`);
      return value;
  }
}

export function parseRecordInput(entry: CatalogEntry, body: unknown, mode: 'create' | 'update'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object of field names to values.');
  }
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const field = entry.fields.find((f) => f.name === name);
    if (!field) throw invalidRequest(`${entry.title} have no field '${name}'.`);
    if (field.readOnly) throw invalidRequest(`Field '${name}' of ${entry.type} is read-only and cannot be set.`);
    values[name] = checkValue(entry, field, value);
  }
  if (mode === 'create') {
    const missing = entry.fields.filter((f) => f.required && !f.readOnly && values[f.name] === undefined).map((f) => f.name);
    if (missing.length > 0) throw invalidRequest(`Missing required field${missing.length > 1 ? 's' : ''} of ${entry.type}: ${missing.join(', ')}.`);
  } else if (Object.keys(values).length === 0) {
    throw invalidRequest('The update sets no field.');
  }
  return values;
}
