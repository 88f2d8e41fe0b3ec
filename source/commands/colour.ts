// Whether the terminal gets colours: FORCE_COLOR decides when set (0 or false: none; 1 to 3: that many
// levels), else NO_COLOR with any non-empty value or TERM=dumb turn them off, else the terminal decides.
// Ink draws its colours through its own chalk, which reads FORCE_COLOR when it is first imported (and does
// not know NO_COLOR), so the choice is handed to it that way, before any view is loaded.

export type Env = Record<string, string | undefined>;

/** 0: no colour; 1 to 3: forced at that level; undefined: let the terminal decide. */
export type ColourChoice = 0 | 1 | 2 | 3 | undefined;

export function colourChoice(env: Env): ColourChoice {
	const force = env.FORCE_COLOR;
	if (force !== undefined) {
		if (force === '0' || force === 'false') return 0;
		if (/^[1-3]$/.test(force)) return Number(force) as 1 | 2 | 3;
		if (force === '' || force === 'true') return 1;
	}
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
	if (env.TERM === 'dumb') return 0;
	return undefined;
}

/** Make the choice the one Ink's chalk will read; call before the view is imported. */
export function applyColourChoice(env: Env = process.env): ColourChoice {
	const choice = colourChoice(env);
	if (choice !== undefined) env.FORCE_COLOR = String(choice);
	return choice;
}
