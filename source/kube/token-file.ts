// A bearer token kept in a file (a kubeconfig user's token-file), read again as client-go reads it: when what
// was read is a minute old, and at once when the API server turns it down. A token rotated on disk (a
// projected service account token the kubelet renews, one a CI job or a sidecar refreshes) is then picked
// up by a view that runs for hours, as kubectl picks it up.
import {readFileSync} from 'node:fs';

/** How old what was read may be before a request reads the file again (client-go's cachingTokenSource: a minute). */
export const TOKEN_FILE_MAX_AGE_MS = 60_000;

export class TokenFile {
	private token: string | undefined;
	private readAt = Number.NEGATIVE_INFINITY;

	constructor(
		readonly path: string,
		private readonly now: () => number = Date.now,
	) {}

	/** The token, read again when what was read is a minute old; the last one read when the file cannot be read (or is empty) now. */
	current(): string | undefined {
		if (this.now() - this.readAt >= TOKEN_FILE_MAX_AGE_MS) this.read();
		return this.token;
	}

	/** Read the file now (the server turned the token down): whether it holds another token. */
	renew(): boolean {
		const before = this.token;
		this.read();
		return this.token !== before;
	}

	private read(): void {
		this.readAt = this.now();
		let text: string;
		try {
			text = readFileSync(this.path, 'utf8');
		} catch {
			return;
		}
		// A file written by hand ends in a newline; kubectl trims it.
		const token = text.trim();
		if (token !== '') this.token = token;
	}
}
