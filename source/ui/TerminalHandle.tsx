// Hands the owner of the view Ink's terminal controls, which exist only inside the tree: suspending the
// terminal (Ctrl-Z) and waiting until a frame is written (the redraw after a resize). Draws nothing.
import {useEffect} from 'react';
import {useApp, type SuspendTerminal} from 'ink';

export type TerminalControls = {suspendTerminal: SuspendTerminal; waitUntilRenderFlush: () => Promise<void>};

export function TerminalHandle({onReady}: {onReady: (controls: TerminalControls) => void}) {
	const {suspendTerminal, waitUntilRenderFlush} = useApp();
	useEffect(() => onReady({suspendTerminal, waitUntilRenderFlush}), [onReady, suspendTerminal, waitUntilRenderFlush]);
	return null;
}
