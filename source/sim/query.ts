// Query parameters as kube-apiserver reads them. Booleans follow apimachinery's
// Convert_Slice_string_To_bool: only `0` and `false` (any case) are false; any other value is true.

/** A boolean query parameter: undefined when absent, false for `0` or `false` in any case, else true (even empty). */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
	if (!query.has(name)) return undefined;
	const value = query.get(name)!;
	return !(value === '0' || value.toLowerCase() === 'false');
}
