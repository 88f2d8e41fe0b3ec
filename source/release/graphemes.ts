// Grapheme clusters without ICU for the text the view is mostly made of: an Intl.Segmenter's `segment` for text
// whose every code unit is a cluster of its own (single-width.ts, eachUnitAGrapheme), and a real segmenter, made
// when first needed, for anything else. The package's bundle gives it to Ink and the packages it draws with in
// place of the segmenters they make when loaded (source/build/bundles.ts, graphemesWithoutIcu): the first of a
// process costs about 10 ms of the start. test/release/graphemes.test.ts holds it to Intl.Segmenter.
import {eachUnitAGrapheme} from './single-width.js';

type Segment = {segment: string; index: number; input: string};
type Segments = Iterable<Segment> & {containing(index?: number): Segment | undefined};

/** A text's clusters when each is one code unit, as Intl.Segmenter's `segment` gives them. */
class UnitSegments implements Segments {
	constructor(private readonly input: string) {}

	containing(index = 0): Segment | undefined {
		const i = Math.trunc(Number(index)) || 0;
		return i >= 0 && i < this.input.length ? {segment: this.input[i]!, index: i, input: this.input} : undefined;
	}

	*[Symbol.iterator](): Iterator<Segment> {
		const input = this.input;
		for (let i = 0; i < input.length; i++) yield {segment: input[i]!, index: i, input};
	}
}

let icu: Intl.Segmenter | undefined;

/** Stands for `new Intl.Segmenter(undefined, {granularity: 'grapheme'})` (the default locale's clusters). */
export const graphemeSegmenter = {
	segment(text: string): Segments {
		const input = String(text);
		if (eachUnitAGrapheme(input)) return new UnitSegments(input);
		icu ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
		return icu.segment(input);
	},
};
