// Errors of the simulated API server, shaped as Kubernetes `Status` objects.
import {qualifiedName, type Resource} from './resources.js';

/** A cause of a Status; `type` goes on the wire as `reason`, as metav1.StatusCause's JSON names it. */
export type StatusCause = {type?: string; message: string; field?: string};

const causeOnWire = ({type, message, field}: StatusCause) => ({...(type ? {reason: type} : {}), message, ...(field ? {field} : {})});

export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: {name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number},
	) {
		super(message);
	}

	toStatus(): Record<string, unknown> {
		return {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: this.message,
			reason: this.reason,
			...(this.details ? {details: this.details.causes ? {...this.details, causes: this.details.causes.map(causeOnWire)} : this.details} : {}),
			code: this.code,
		};
	}
}

const details = (r: Resource, name?: string) => ({...(name ? {name} : {}), group: r.group, kind: r.plural});

export const notFound = (r: Resource, name: string) =>
	new ApiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, details(r, name));

export const alreadyExists = (r: Resource, name: string) =>
	new ApiError(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: Resource, name: string) =>
	new ApiError(
		409,
		'Conflict',
		`Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
		details(r, name),
	);

export const invalid = (r: Resource, name: string, causes: StatusCause[]) =>
	new ApiError(
		422,
		'Invalid',
		`${r.kind}${r.group ? '.' + r.group : ''} "${name}" is invalid: ${causes.map(c => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ')}`,
		{...details(r, name), causes},
	);

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

/** kube-apiserver's 403: the resource named with its subresource, the scope spelt out. */
export const forbidden = (user: string, verb: string, r: Resource, namespace?: string, name?: string, subresource?: string) =>
	new ApiError(
		403,
		'Forbidden',
		`${qualifiedName(r)}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${r.plural}${subresource ? `/${subresource}` : ''}" in API group "${r.group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
		details(r, name),
	);

/** kube-apiserver's 401, for a request without valid credentials. */
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const unsupportedMediaType = (accepted: string[]) =>
	new ApiError(
		415,
		'UnsupportedMediaType',
		`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
	);

export const methodNotAllowed = () => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const expired = (asked: string | number, oldest: string | number) =>
	new ApiError(410, 'Expired', `too old resource version: ${asked} (${oldest})`);

/**
 * A read from a resourceVersion the server has not reached yet (storage.NewTooLargeResourceVersionError
 * through apierrors.NewTimeoutError): 504 Timeout, asking the client to retry.
 */
export const tooLargeResourceVersion = (asked: number, current: number, retryAfterSeconds: number) =>
	new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${asked}, current: ${current}`, {
		causes: [{type: 'ResourceVersionTooLarge', message: 'Too large resource version'}],
		...(retryAfterSeconds > 0 ? {retryAfterSeconds} : {}),
	});

export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');
