// A dim one-line note inside a pane ("no pods", "loading ...").
import {Text} from 'ink';

export function Note({message}: {message: string}) {
	return <Text wrap="truncate" dimColor>{`  ${message}`}</Text>;
}
