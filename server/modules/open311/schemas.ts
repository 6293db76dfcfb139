import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Literals } from '../../../shared/schemas/ids';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): field names are the specification's, so
 * they are snake_case. JSON follows its Spark convention: the XML root is dropped, a container of one
 * repeated element is an array, an empty element is null.
 */
/** A plain enum (not a union of literals) so a wrong suffix is refused with one readable message. */
export const Format = Type.Unsafe<'json' | 'xml'>({
  type: 'string',
  enum: ['json', 'xml'],
  description: 'The response format, as the URL suffix',
});
export type Format = Static<typeof Format>;

/** The spec's "optional" arguments: an empty value means the same as none. */
const Optional = (max: number, description?: string) => Type.Optional(Type.String({ maxLength: max, description }));
/** Arguments that may be comma delimited and declared several times. */
const List = (description: string) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength: 26_000 }), Type.Array(Type.String({ maxLength: 26_000 }), { maxItems: 50 })], {
      description,
    }),
  );

const jurisdiction = {
  jurisdiction_id: Optional(64, "The community's id; needed when the service holds more than one community"),
};

export const FormatParams = Type.Object({ format: Format });
export const ServiceParams = Type.Object({ service_code: Type.String({ maxLength: 40 }), format: Format });
export const RequestParams = Type.Object({ service_request_id: Type.String({ maxLength: 64 }), format: Format });
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }), format: Format });

/**
 * Unlike Linli's own API (plugins/strict-schemas.ts), the GeoReport arguments take properties they do not declare:
 * the specification's `attribute[…]` fields, and arguments that clients written for other GeoReport servers send
 * for those servers' extensions. They are ignored: handlers read only the declared ones.
 */
const open = { additionalProperties: true };

export const JurisdictionQuery = Type.Object(jurisdiction, open);

export const RequestsQuery = Type.Object(
  {
    ...jurisdiction,
    service_request_id: List('Comma delimited ids; overrides every other argument'),
    service_code: List('Comma delimited service codes (default: all)'),
    start_date: Optional(40, 'W3C datetime with a time zone; the range may span at most 90 days'),
    end_date: Optional(40, 'W3C datetime with a time zone; the range may span at most 90 days'),
    status: List('open, closed or both, comma delimited (default: both)'),
  },
  open,
);
export type RequestsQuery = Static<typeof RequestsQuery>;

/** POST requests: application/x-www-form-urlencoded, every value a string. */
export const PostRequestBody = Type.Object(
  {
    api_key: Optional(100, 'Issued by community staff to an external system'),
    ...jurisdiction,
    service_code: Optional(40),
    lat: Optional(32, 'WGS84 latitude; with long'),
    long: Optional(32, 'WGS84 longitude; with lat'),
    address_string: Optional(200, 'e.g. 幸福里社区阳光花园1栋1单元: filed on the place it names'),
    address_id: Optional(64, 'The id of a unit, building or estate of the community'),
    description: Optional(500),
    media_url: Type.Optional(Type.String({ maxLength: 400, pattern: '^https?://\\S+$' })),
    // Personal data of the caller: accepted as the specification allows, then dropped — never stored or shown.
    email: Optional(200, 'Accepted and discarded'),
    device_id: Optional(200, 'Accepted and discarded'),
    account_id: Optional(200, 'Accepted and discarded'),
    first_name: Optional(200, 'Accepted and discarded'),
    last_name: Optional(200, 'Accepted and discarded'),
    phone: Optional(200, 'Accepted and discarded'),
  },
  open,
);
export type PostRequestBody = Static<typeof PostRequestBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 8,
      maxLength: 64,
      pattern: '^[\\w-]+$',
      description: "Optional: sending a request again with the same key files nothing new and answers the first's id",
    }),
  ),
});

/** An empty element in XML, null in JSON (the Spark convention). */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Literals(['realtime', 'batch', 'blackbox']),
  keywords: Nullable(Type.String({ description: 'Comma separated' })),
  group: Type.String(),
});
export type Service = Static<typeof Service>;

export const ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Type.Object({}), { maxItems: 0, description: 'Linli services have no attributes' }),
});
export type ServiceDefinition = Static<typeof ServiceDefinition>;

const W3cDateTime = Type.String({ format: 'date-time', description: 'W3C datetime with its UTC offset' });

/** A report as the public sees it: no reporter, no names, no phone. The schema is the allowlist. */
export const ServiceRequest = Type.Object({
  service_request_id: Type.String(),
  status: Literals(['open', 'closed']),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: Type.String(),
  service_notice: Nullable(Type.String()),
  requested_datetime: W3cDateTime,
  updated_datetime: W3cDateTime,
  expected_datetime: Nullable(W3cDateTime),
  address: Type.String(),
  address_id: Type.String(),
  zipcode: Nullable(Type.String({ description: 'Linli keeps no postal codes' })),
  lat: Nullable(Type.Number()),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});
export type ServiceRequest = Static<typeof ServiceRequest>;

export const CreatedRequest = Type.Object({
  service_request_id: Type.String(),
  service_notice: Nullable(Type.String()),
  account_id: Type.Null({ description: 'Caller accounts are never kept' }),
});
export type CreatedRequest = Static<typeof CreatedRequest>;

export const TokenAnswer = Type.Object({ service_request_id: Type.String(), token: Type.String() });
export type TokenAnswer = Static<typeof TokenAnswer>;

export const Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      specification: Type.String(),
      url: Type.String(),
      changeset: Type.String(),
      type: Literals(['production', 'test']),
      formats: Type.Array(Type.String()),
    }),
  ),
  jurisdictions: Type.Array(
    Type.Object({
      jurisdiction_id: Type.String({ description: 'The community node id every other call names' }),
      name: Type.String(),
    }),
    { description: 'Not in GeoReport v2 discovery: the communities this endpoint serves' },
  ),
});
export type Discovery = Static<typeof Discovery>;

export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
export type Open311Errors = Static<typeof Open311Errors>;

/** A response in either format: the JSON schema, or the XML document as text. */
export function georeport(json: TSchema) {
  return {
    content: {
      'application/json': { schema: json },
      'text/xml': { schema: Type.String({ description: 'The same document as XML' }) },
    },
  };
}
export const open311ErrorResponses = { '4xx': georeport(Open311Errors) } as const;

// Staff routes under /api: the keys external systems post with.
export const IssueKeyBody = Type.Object({
  communityId: Id,
  name: Type.String({ minLength: 2, maxLength: 20, description: 'Who the key is for, e.g. 12345市民热线' }),
});
export const KeysQuery = Type.Object({ communityId: Id });
// The 管理 console shows them too, so they live with its schemas.
export { ApiKeyView, IssuedKey } from '../../../shared/schemas/manage';
