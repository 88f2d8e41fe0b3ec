// Styled text as data: lines of segments with a colour and weight, made by pure functions (the kinds'
// strips) and drawn by the view (ui/StyledLines.tsx). A plain-text reader takes only the text.

export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray' | undefined;

export type Segment = {text: string; colour?: Colour; bold?: boolean; dim?: boolean; inverse?: boolean};

export type StyledLine = Segment[];

/** A line's text without its styles. */
export function plainText(line: StyledLine): string {
	return line.map(s => s.text).join('');
}
