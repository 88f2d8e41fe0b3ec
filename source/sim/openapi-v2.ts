// /openapi/v2 in protobuf, as client-go asks for it (Accept application/com.github.proto-openapi.spec.v2@v1.0+protobuf)
// and unmarshals it: gnostic's openapi_v2.Document. Only what openApiV2() writes is encoded: the info, the paths'
// operations with their query parameters, and their x-kubernetes-* extensions (as YAML, as gnostic keeps them).
import {stringify} from 'yaml';
import {ProtobufWriter} from './protobuf.js';

/** The Content-Type kube-openapi answers with (the dotted form: Go's mime parser refuses the '@' of the form clients ask for). */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Parameter = {name: string; in: string; type?: string; uniqueItems?: boolean; required?: boolean; description?: string};
type Operation = {operationId?: string; parameters?: Parameter[]; [extension: `x-${string}`]: unknown};
type SwaggerDocument = {swagger: string; info: {title: string; version: string}; paths: Record<string, Record<string, unknown>>};

/** PathItem's field number of each method. */
const methodFields: Record<string, number> = {get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8};

function extensions(w: ProtobufWriter, field: number, o: Record<string, unknown>): void {
	for (const [name, value] of Object.entries(o)) {
		if (!name.startsWith('x-')) continue;
		// NamedAny {1 name, 2 Any {2 yaml}}
		w.message(field, named => named.string(1, name).message(2, any => any.string(2, stringify(value))));
	}
}

function queryParameter(w: ProtobufWriter, p: Parameter): void {
	// ParametersItem {1 Parameter {2 NonBodyParameter {3 QueryParameterSubSchema}}}
	w.message(1, parameter =>
		parameter.message(2, nonBody =>
			nonBody.message(3, q => {
				if (p.required) q.bool(1, true);
				q.string(2, p.in);
				if (p.description) q.string(3, p.description);
				q.string(4, p.name);
				if (p.type) q.string(6, p.type);
				if (p.uniqueItems) q.bool(20, true);
			}),
		),
	);
}

function operation(w: ProtobufWriter, op: Operation): void {
	if (op.operationId) w.string(5, op.operationId);
	for (const p of op.parameters ?? []) if (p.in === 'query') w.message(8, item => queryParameter(item, p));
	extensions(w, 13, op);
}

/** The document as gnostic's openapi_v2.Document protobuf message. */
export function encodeOpenApiV2(doc: SwaggerDocument): Uint8Array {
	const w = new ProtobufWriter();
	w.string(1, doc.swagger);
	w.message(2, info => info.string(1, doc.info.title).string(2, doc.info.version));
	w.message(8, paths => {
		for (const [path, item] of Object.entries(doc.paths)) {
			paths.message(2, named =>
				named.string(1, path).message(2, pathItem => {
					for (const [method, op] of Object.entries(item)) {
						const field = methodFields[method];
						if (field) pathItem.message(field, o => operation(o, op as Operation));
					}
				}),
			);
		}
	});
	return w.finish();
}
