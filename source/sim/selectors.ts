// Label and field selectors, parsed and matched the way the apiserver does it
// (k8s.io/apimachinery pkg/labels/selector.go, pkg/fields/selector.go, and the per-kind
// field label conversions of the core registry). Pure: no I/O, no state.

import {badRequest} from './errors.js';
import type {KObject} from './object.js';

// ---------------------------------------------------------------------------------------------
// Label selectors

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** metav1.LabelSelector as it appears in a Deployment's or ReplicaSet's spec.selector. */
export type LabelSelector = {
	matchLabels?: Record<string, string>;
	matchExpressions?: Array<{key: string; operator: LabelSelectorOperator; values?: string[]}>;
};

type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

type Requirement = {key: string; op: Operator; values: string[]};

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const dns1123SubdomainFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);

const regexError = (msg: string, fmt: string, ...examples: string[]) =>
	`${msg} (e.g. ${examples.map(e => `'${e}'`).join(',  or ')}, regex used for validation is '${fmt}')`;
const qualifiedNameErrMsg =
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const maxLenError = (n: number) => `must be no more than ${n} characters`;

/** validation.IsQualifiedName: the error strings it would return, none when valid. */
function qualifiedNameErrors(value: string): string[] {
	const errs: string[] = [];
	const parts = value.split('/');
	let name: string;
	if (parts.length === 1) {
		name = parts[0]!;
	} else if (parts.length === 2) {
		const prefix = parts[0]!;
		name = parts[1]!;
		if (prefix.length === 0) {
			errs.push('prefix part must be non-empty');
		} else {
			if (prefix.length > 253) errs.push(`prefix part ${maxLenError(253)}`);
			if (!dns1123SubdomainRe.test(prefix)) {
				errs.push(
					'prefix part ' +
						regexError(
							"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
							dns1123SubdomainFmt,
							'example.com',
						),
				);
			}
		}
	} else {
		return [
			'a qualified name ' +
				regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
				" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
		];
	}
	if (name.length === 0) errs.push('name part must be non-empty');
	else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
	if (!qualifiedNameRe.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
	return errs;
}

/** validation.IsValidLabelValue. */
function labelValueErrors(value: string): string[] {
	const errs: string[] = [];
	if (value.length > 63) errs.push(maxLenError(63));
	if (!labelValueRe.test(value)) {
		errs.push(
			regexError(
				"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
				labelValueFmt,
				'MyValue',
				'my_value',
				'12345',
			),
		);
	}
	return errs;
}

/** field.Invalid(path, value, detail).Error() */
const invalidValue = (path: string, value: string, detail: string) => `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;

/** Errors of labels.NewRequirement (the key was checked already by the parser), aggregated as Go does. */
function requirementErrors(key: string, op: Operator, values: string[]): string | undefined {
	const errs: string[] = [];
	const keyErrs = qualifiedNameErrors(key);
	if (keyErrs.length > 0) errs.push(invalidValue('key', key, keyErrs.join('; ')));
	if ((op === 'in' || op === 'notin') && values.length === 0) {
		errs.push(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
	}
	if (op === '>' || op === '<') {
		values.forEach((v, i) => {
			if (!/^[-+]?\d+$/.test(v)) errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
		});
	}
	values.forEach((v, i) => {
		const vErrs = labelValueErrors(v);
		if (vErrs.length > 0) errs.push(invalidValue(`values[${i}][${key}]`, v, vErrs.join('; ')));
	});
	if (errs.length === 0) return undefined;
	return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

// The lexer and parser follow labels.Lexer / labels.Parser token for token, so that error
// messages match the apiserver's.

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
type Item = {tok: Tok; lit: string};

const literalTokens: Record<string, Tok> = {
	')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};
const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch);

function lex(s: string): Item[] {
	const items: Item[] = [];
	let pos = 0;
	for (;;) {
		while (pos < s.length && isWhitespace(s[pos]!)) pos++;
		if (pos >= s.length) {
			items.push({tok: 'eos', lit: ''});
			return items;
		}
		if (isSpecial(s[pos]!)) {
			let buffer = '';
			let last: Item | undefined;
			while (pos < s.length && isSpecial(s[pos]!)) {
				buffer += s[pos];
				const t = Object.hasOwn(literalTokens, buffer) ? literalTokens[buffer] : undefined;
				if (t) {
					last = {tok: t, lit: buffer};
					pos++;
				} else if (last) {
					break;
				} else {
					pos++;
				}
			}
			items.push(last ?? {tok: 'error', lit: `error expected: keyword found '${buffer}'`});
		} else {
			let buffer = '';
			while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buffer += s[pos++];
			const t = Object.hasOwn(literalTokens, buffer) ? literalTokens[buffer] : undefined;
			items.push({tok: t ?? 'id', lit: buffer});
		}
	}
}

class ParseError extends Error {}

/** Parse a label selector into its requirements (sorted by key, as labels.Parse does). */
function parseRequirements(selector: string): Requirement[] {
	const items = lex(selector);
	let position = 0;
	// In a values context the keywords 'in' and 'notin' are plain identifiers.
	const asValue = (it: Item): Item => (it.tok === 'in' || it.tok === 'notin' ? {tok: 'id', lit: it.lit} : it);
	const lookahead = (values: boolean) => {
		const it = items[Math.min(position, items.length - 1)]!;
		return values ? asValue(it) : it;
	};
	const consume = (values: boolean) => {
		const it = lookahead(values);
		position++;
		return it;
	};
	const fail = (msg: string): never => {
		throw new ParseError(msg);
	};

	const parseRequirement = (): Requirement => {
		// parseKeyAndInferOperator
		let op: Operator | undefined;
		let it = consume(true);
		if (it.tok === '!') {
			op = '!';
			it = consume(true);
		}
		if (it.tok !== 'id') fail(`found '${it.lit}', expected: identifier`);
		const key = it.lit;
		const keyErrs = qualifiedNameErrors(key);
		if (keyErrs.length > 0) fail(invalidValue('<nil>', key, keyErrs.join('; ')));
		const next = lookahead(true).tok;
		if (next === 'eos' || next === ',') {
			if (op !== '!') op = 'exists';
		}
		if (op === 'exists' || op === '!') return checked(key, op, []);
		// parseOperator
		const o = consume(false);
		switch (o.tok) {
			case 'in': case '=': case '==': case '>': case '<': case 'notin': case '!=':
				op = o.tok;
				break;
			default:
				fail(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
		}
		let values: Set<string>;
		if (op === 'in' || op === 'notin') {
			// parseValues
			const open = consume(true);
			if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
			const first = lookahead(true);
			if (first.tok === 'id' || first.tok === ',') {
				values = parseIdentifiersList();
				if (consume(true).tok !== ')') fail(`found '${first.lit}', expected: ')'`);
			} else if (first.tok === ')') {
				consume(true);
				values = new Set(['']);
			} else {
				return fail(`found '${first.lit}', expected: ',', ')' or identifier`);
			}
		} else {
			// parseExactValue
			values = new Set();
			const t = lookahead(true).tok;
			if (t === 'eos' || t === ',') {
				values.add('');
			} else {
				const v = consume(true);
				if (v.tok !== 'id') fail(`found '${v.lit}', expected: identifier`);
				values.add(v.lit);
			}
		}
		return checked(key, op!, [...values].sort());
	};

	const parseIdentifiersList = (): Set<string> => {
		const s = new Set<string>();
		for (;;) {
			const it = consume(true);
			if (it.tok === 'id') {
				s.add(it.lit);
				const n = lookahead(true);
				if (n.tok === ',') continue;
				if (n.tok === ')') return s;
				fail(`found '${n.lit}', expected: ',' or ')'`);
			} else if (it.tok === ',') {
				if (s.size === 0) s.add('');
				const n = lookahead(true).tok;
				if (n === ')') {
					s.add('');
					return s;
				}
				if (n === ',') {
					consume(true);
					s.add('');
				}
			} else {
				fail(`found '${it.lit}', expected: ',', or identifier`);
			}
		}
	};

	const checked = (key: string, op: Operator, values: string[]): Requirement => {
		const err = requirementErrors(key, op, values);
		if (err) fail(err);
		return {key, op, values};
	};

	const requirements: Requirement[] = [];
	for (;;) {
		const it = lookahead(true);
		if (it.tok === 'id' || it.tok === '!') {
			try {
				requirements.push(parseRequirement());
			} catch (e) {
				if (e instanceof ParseError) throw badRequest(`unable to parse requirement: ${e.message}`);
				throw e;
			}
			const t = consume(true);
			if (t.tok === 'eos') break;
			if (t.tok === ',') {
				const n = lookahead(true);
				if (n.tok !== 'id' && n.tok !== '!') throw badRequest(`found '${n.lit}', expected: identifier after ','`);
			} else {
				throw badRequest(`found '${t.lit}', expected: ',' or 'end of string'`);
			}
		} else if (it.tok === 'eos') {
			break;
		} else {
			throw badRequest(`found '${it.lit}', expected: !, identifier, or 'end of string'`);
		}
	}
	return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
	const has = Object.hasOwn(labels, r.key);
	const value = has ? labels[r.key]! : '';
	switch (r.op) {
		case '=': case '==': case 'in':
			return has && r.values.includes(value);
		case '!=': case 'notin':
			return !has || !r.values.includes(value);
		case 'exists':
			return has;
		case '!':
			return !has;
		case '>': case '<': {
			if (!has || !/^[-+]?\d+$/.test(value)) return false;
			const lv = BigInt(value);
			const rv = BigInt(r.values[0]!);
			return r.op === '>' ? lv > rv : lv < rv;
		}
	}
}

const matcherOf = (reqs: Requirement[]): LabelMatcher => labels => {
	const l = labels ?? {};
	return reqs.every(r => requirementMatches(r, l));
};

/**
 * Parse a `labelSelector` query parameter. '' matches everything. Throws a 400 ApiError with
 * the apiserver's message on bad syntax or invalid keys/values.
 */
export function parseLabelSelector(selector: string): LabelMatcher {
	return matcherOf(parseRequirements(selector));
}

function requirementString(r: Requirement): string {
	switch (r.op) {
		case 'exists':
			return r.key;
		case '!':
			return `!${r.key}`;
		case 'in': case 'notin':
			return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
		default:
			return `${r.key}${r.op}${[...r.values].sort().join(',')}`;
	}
}

const selectorOps: Record<LabelSelectorOperator, Operator> = {In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!'};

/** metav1.LabelSelectorAsSelector; undefined when the selector is invalid. */
function selectorRequirements(sel: LabelSelector | undefined): Requirement[] | undefined {
	if (!sel) return [];
	const reqs: Requirement[] = [];
	for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({key, op: '=', values: [value]});
	for (const expr of sel.matchExpressions ?? []) {
		const op = Object.hasOwn(selectorOps, expr.operator) ? selectorOps[expr.operator] : undefined;
		if (!op) return undefined;
		const values = op === 'exists' || op === '!' ? [] : [...(expr.values ?? [])];
		if (requirementErrors(expr.key, op, values) !== undefined) return undefined;
		if ((op === 'exists' || op === '!') && (expr.values?.length ?? 0) > 0) return undefined;
		reqs.push({key: expr.key, op, values});
	}
	return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The selector as kubectl prints it: `app=web,tier in (a,b)` (requirements sorted by key,
 * set values sorted). '' for an empty or missing selector, '<error>' for an invalid one.
 */
export function labelSelectorToString(sel: LabelSelector | undefined): string {
	const reqs = selectorRequirements(sel);
	if (!reqs) return '<error>';
	return reqs.map(requirementString).join(',');
}

/** Whether labels satisfy a structured selector. An empty or missing selector matches everything. */
export function matchesLabelSelector(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
	const reqs = selectorRequirements(sel);
	if (!reqs) return false;
	return matcherOf(reqs)(labels);
}

// ---------------------------------------------------------------------------------------------
// Field selectors

export type FieldMatcher = (o: KObject) => boolean;

type FieldGetter = (o: KObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const metaFields: Record<string, FieldGetter> = {
	'metadata.name': o => str(o.metadata?.name),
	'metadata.namespace': o => str(o.metadata?.namespace),
};

/** The selectable fields of each kind, as the core registry's ToSelectableFields define them. */
const kindFields: Record<string, Record<string, FieldGetter>> = {
	Event: {
		'involvedObject.kind': o => str(o.involvedObject?.kind),
		'involvedObject.namespace': o => str(o.involvedObject?.namespace),
		'involvedObject.name': o => str(o.involvedObject?.name),
		'involvedObject.uid': o => str(o.involvedObject?.uid),
		'involvedObject.apiVersion': o => str(o.involvedObject?.apiVersion),
		'involvedObject.resourceVersion': o => str(o.involvedObject?.resourceVersion),
		'involvedObject.fieldPath': o => str(o.involvedObject?.fieldPath),
		reason: o => str(o.reason),
		reportingComponent: o => str(o.reportingComponent),
		source: o => str(o.source?.component) || str(o.reportingComponent),
		type: o => str(o.type),
	},
	Pod: {
		'spec.nodeName': o => str(o.spec?.nodeName),
		'spec.restartPolicy': o => str(o.spec?.restartPolicy),
		'spec.schedulerName': o => str(o.spec?.schedulerName),
		'spec.serviceAccountName': o => str(o.spec?.serviceAccountName),
		'spec.hostNetwork': o => (o.spec?.hostNetwork ? 'true' : 'false'),
		'status.phase': o => str(o.status?.phase),
		'status.podIP': o => str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
		'status.nominatedNodeName': o => str(o.status?.nominatedNodeName),
	},
	Namespace: {
		'status.phase': o => str(o.status?.phase),
	},
	ReplicaSet: {
		'status.replicas': o => str(o.status?.replicas ?? 0),
	},
};

/** fields.splitTerms: split on commas that are not escaped with a backslash. */
function splitTerms(s: string): string[] {
	if (s === '') return [];
	const terms: string[] = [];
	let start = 0;
	let escaped = false;
	for (let i = 0; i < s.length; i++) {
		if (escaped) escaped = false;
		else if (s[i] === '\\') escaped = true;
		else if (s[i] === ',') {
			terms.push(s.slice(start, i));
			start = i + 1;
		}
	}
	terms.push(s.slice(start));
	return terms;
}

/** fields.UnescapeValue */
function unescapeValue(s: string): string {
	if (!/[\\,=]/.test(s)) return s;
	let out = '';
	let inSlash = false;
	for (const c of s) {
		if (inSlash) {
			if (c === '\\' || c === ',' || c === '=') out += c;
			else throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
			inSlash = false;
			continue;
		}
		if (c === '\\') inSlash = true;
		else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
		else out += c;
	}
	if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
	return out;
}

/**
 * Parse a `fieldSelector` query parameter for objects of `kind`. '' matches everything.
 * Operators `=`, `==`, `!=`; terms joined by commas (all must hold). A field the kind does not
 * support gives a 400 `field label not supported: <field>`.
 */
export function parseFieldSelector(selector: string, kind: string): FieldMatcher {
	const terms: Array<{get: FieldGetter; negate: boolean; value: string}> = [];
	const parsed: Array<{field: string; op: string; value: string}> = [];
	for (const part of splitTerms(selector).sort()) {
		if (part === '') continue;
		let found: {field: string; op: string; rhs: string} | undefined;
		for (let i = 0; i < part.length && !found; i++) {
			for (const op of ['!=', '==', '=']) {
				if (part.startsWith(op, i)) {
					found = {field: part.slice(0, i), op, rhs: part.slice(i + op.length)};
					break;
				}
			}
		}
		if (!found) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
		parsed.push({field: found.field, op: found.op, value: unescapeValue(found.rhs)});
	}
	const fields = {...metaFields, ...(Object.hasOwn(kindFields, kind) ? kindFields[kind] : {})};
	for (const {field, op, value} of parsed) {
		const get = Object.hasOwn(fields, field) ? fields[field] : undefined;
		if (!get) throw badRequest(`field label not supported: ${field}`);
		terms.push({get, negate: op === '!=', value});
	}
	if (terms.length === 0) return () => true;
	return o => terms.every(t => (t.get(o) === t.value) !== t.negate);
}
