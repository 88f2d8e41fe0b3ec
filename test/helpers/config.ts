// The problems parseConfig reports for a YAML text, each as `line N: path: message` (none: an empty list).
import assert from 'node:assert/strict';
import {ConfigError, parseConfig} from '../../source/config/config.js';

export function configIssues(text: string): string[] {
	try {
		parseConfig(text, 'config.yaml');
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		return error.issues;
	}
	return [];
}
