// One panel per version: role, image, revision, pods, restarts, phases, weight; room for SLIs below.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import type {Version} from '../release/model.js';
import {phaseEntries, roleColour, statusColour, text} from './format.js';
import {bar} from '../text/format.js';
import {imagesLabel} from '../text/format.js';
import type {PanelLevel} from './layout.js';

type Props = {
	version: Version;
	/** Intended traffic share in percent, when known. */
	weight?: number;
	/** What the router's match routes send to this version besides its weight: `header x-canary=always`. */
	routes?: readonly string[];
	/** The version the weight keys act on, of several canaries. */
	focused?: boolean;
	width: number;
	level: PanelLevel;
	/** Rows kept for SLI sparklines in a full panel. */
	sliRows: number;
	/** SLI sparklines (a later feature); an empty note is shown until then. */
	children?: ReactNode;
};

const bad = new Set(['CrashLoopBackOff', 'Failed', 'Error', 'ImagePullBackOff', 'ErrImagePull', 'OOMKilled']);

export function versionTitle(version: Version, short = false): string {
	const rev = version.revision === undefined ? '' : short ? ` r${version.revision}` : ` · rev ${version.revision}`;
	return `${version.role.toUpperCase()} ${imagesLabel(version.images)}${rev}`;
}

function Phases({phases}: {phases: Record<string, number>}) {
	const entries = phaseEntries(phases);
	if (entries.length === 0) return <Text dimColor>no pods</Text>;
	return (
		<>
			{entries.map(([phase, n], i) => (
				<Text key={phase} color={statusColour(phase)} bold={bad.has(phase)}>
					{`${i > 0 ? ' · ' : ''}${n} ${text(phase)}`}
				</Text>
			))}
		</>
	);
}

/** After the title, where even a one-line panel shows it: ` ⚠ image` when the version's images break release practice. */
function ImageMark({version}: {version: Version}) {
	return (version.imageWarnings?.length ?? 0) > 0 ? <Text color="yellow" bold>{' ⚠ image'}</Text> : null;
}

/** The warnings themselves after the pod phases, where there is room: `  ⚠ registry/app uses :latest, a tag that moves`. */
function ImageWarnings({version}: {version: Version}) {
	const warnings = version.imageWarnings ?? [];
	return warnings.length > 0 ? <Text color="yellow">{`  ⚠ ${warnings.map(text).join('; ')}`}</Text> : null;
}

function readyColour(v: Version) {
	if (v.desired > 0 && v.ready >= v.desired) return 'green';
	return v.ready < v.desired ? 'yellow' : undefined;
}

function pct(weight: number | undefined): string {
	return weight === undefined ? '?' : `${Math.round(weight)}%`;
}

/** ` + header x-canary=always` after a weight, or ''. */
function routesText(routes: readonly string[] | undefined): string {
	return routes && routes.length > 0 ? ` + ${routes.join(' or ')}` : '';
}

export function VersionPanel({version: v, weight, routes, focused, width, level, sliRows, children}: Props) {
	const mark = focused ? '▸' : '';
	const colour = roleColour(v.role);
	const troubled = Object.entries(v.phases).some(([phase, n]) => n > 0 && bad.has(phase));
	const ready = `${v.ready}/${v.desired} ready${v.pods !== v.desired ? ` (${v.pods} pods)` : ''}`;
	const pods = `pods ${ready}`;
	const restarts = `restarts ${v.restarts}`;

	if (level === 'line') {
		return (
			<Box width={width} height={1} overflow="hidden" flexShrink={0}>
				<Text wrap="truncate">
					<Text color={colour} bold inverse={focused}>{mark + versionTitle(v, true)}</Text>
					<ImageMark version={v} />
					<Text>{`  ${pct(weight)}${routesText(routes)}  `}</Text>
					<Text color={readyColour(v)}>{pods}</Text>
					<Text color={v.restarts > 0 ? 'yellow' : undefined}>{`  ${restarts}  `}</Text>
					<Phases phases={v.phases} />
				</Text>
			</Box>
		);
	}

	const inner = Math.max(1, width - 4);
	const borderColour = troubled ? 'red' : colour;
	if (level === 'compact') {
		return (
			<Box width={width} height={4} flexDirection="column" borderStyle="single" borderColor={borderColour} paddingX={1} overflow="hidden" flexShrink={0}>
				<Text wrap="truncate">
					<Text color={colour} bold inverse={focused}>{mark + versionTitle(v)}</Text>
					<ImageMark version={v} />
					<Text>{`   weight ${pct(weight)}`}</Text>
					<Text color="magenta">{routesText(routes)}</Text>
				</Text>
				<Text wrap="truncate">
					<Text color={readyColour(v)}>{ready}</Text>
					<Text>{' · '}</Text>
					<Phases phases={v.phases} />
					<Text color={v.restarts > 0 ? 'yellow' : undefined}>{` · ${restarts}`}</Text>
					<ImageWarnings version={v} />
				</Text>
			</Box>
		);
	}

	const pctText = ` ${pct(weight)}`;
	const routeText = routesText(routes);
	const barWidth = Math.max(0, Math.min(30, inner - 'weight '.length - pctText.length - Math.min(routeText.length, Math.floor(inner / 2))));
	return (
		<Box width={width} height={6 + sliRows} flexDirection="column" borderStyle="single" borderColor={borderColour} paddingX={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate">
				<Text color={colour} bold inverse={focused}>{mark + versionTitle(v)}</Text>
				<ImageMark version={v} />
				<Text dimColor>{`  ${text(v.workload)}`}</Text>
			</Text>
			<Text wrap="truncate">
				<Text color={readyColour(v)}>{pods}</Text>
				<Text color={v.restarts > 0 ? 'yellow' : undefined}>{`   ${restarts}`}</Text>
			</Text>
			<Text wrap="truncate"><Phases phases={v.phases} /><ImageWarnings version={v} /></Text>
			<Text wrap="truncate">
				<Text>weight </Text>
				<Text color={colour}>{weight === undefined ? '' : bar(weight, barWidth)}</Text>
				<Text bold>{pctText}</Text>
				<Text color="magenta">{routeText}</Text>
			</Text>
			{sliRows > 0 ? (
				<Box height={sliRows} width={inner} flexDirection="column" overflow="hidden">
					{children ?? <Text wrap="truncate" dimColor>SLIs: no metrics yet</Text>}
				</Box>
			) : null}
		</Box>
	);
}
