// The strip above the version panels: what the release's kind says about its controller (an Argo
// Rollout's steps and analysis, a Flagger Canary's weight and checks), from kinds/spec.ts `strip`, drawn
// from its styled lines one row each.
import {Box, Text} from 'ink';
import {kindSpec} from '../kinds/registry.js';
import type {Release} from '../release/model.js';
import type {StyledLine} from '../text/styled.js';

export function stripLines(release: Release | undefined, width: number): StyledLine[] {
	return release ? (kindSpec(release.kind).strip?.(release, width) ?? []) : [];
}

/** Rows the strip takes for this release (0 for kinds without one). */
export function stripRows(release: Release | undefined): number {
	return stripLines(release, 80).length;
}

export function StyledLines({lines}: {lines: readonly StyledLine[]}) {
	return (
		<>
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate">
					{line.map((s, j) => (
						<Text key={j} color={s.colour} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
							{s.text}
						</Text>
					))}
				</Text>
			))}
		</>
	);
}

export function Strip({release, width}: {release: Release; width: number}) {
	const lines = stripLines(release, width);
	if (lines.length === 0) return null;
	return (
		<Box width={width} height={lines.length} flexDirection="column" overflow="hidden" flexShrink={0}>
			<StyledLines lines={lines} />
		</Box>
	);
}
