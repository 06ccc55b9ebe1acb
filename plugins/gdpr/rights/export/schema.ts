/** The JSON Schema (draft 2020-12) of export.json, written beside it in the archive. */
export const EXPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://agora.invalid/schemas/personal-data-export-1.json',
  title: 'Personal data export',
  description: 'Everything the store holds about one person, as every active plugin exports it (GDPR Art. 15 and 20).',
  type: 'object',
  required: ['format', 'version', 'generated_at', 'store', 'person', 'sections'],
  additionalProperties: false,
  $defs: {
    // A record's values are plain JSON; a value named `..._at` is a time, ISO-8601 in UTC (or null when it did not happen).
    record: {
      type: 'object',
      patternProperties: { '_at$': { anyOf: [{ type: 'string', format: 'date-time', pattern: 'Z$' }, { type: 'null' }] } },
      additionalProperties: { $ref: '#/$defs/value' },
    },
    value: {
      anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }, { type: 'array', items: { $ref: '#/$defs/value' } }, { $ref: '#/$defs/record' }],
    },
  },
  properties: {
    format: { const: 'agora.personal-data-export' },
    version: { const: 1 },
    generated_at: { type: 'string', format: 'date-time', description: 'ISO-8601, UTC' },
    store: { type: 'object', required: ['name', 'url'], additionalProperties: false, properties: { name: { type: 'string' }, url: { type: 'string' } } },
    person: { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string' }, user_id: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['owner', 'exporter', 'complete', 'items'],
        additionalProperties: false,
        properties: {
          owner: { type: 'string', description: 'core, or the plugin that holds the data' },
          exporter: { type: 'string' },
          complete: { type: 'boolean', description: 'false when the exporter failed: the section may lack records' },
          error: { type: 'string' },
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['group', 'id', 'data'],
              additionalProperties: false,
              properties: {
                group: { type: 'string', minLength: 1, description: 'The kind of data ("Orders", "Saved addresses"); one CSV file per kind' },
                id: { type: 'string' },
                data: { $ref: '#/$defs/record' },
              },
            },
          },
        },
      },
    },
  },
} as const;
