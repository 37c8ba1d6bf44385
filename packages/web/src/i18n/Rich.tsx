import { Fragment, type ReactNode } from 'react';

/**
 * A translated sentence with elements inside it (a bold room name, a link): the
 * catalogue keeps the whole sentence, so each language orders its words, and
 * `{name}` placeholders are replaced by the given nodes.
 */
export function Rich({ text, values }: { text: string; values: Record<string, ReactNode> }) {
  const parts = text.split(/\{(\w+)\}/);
  return (
    <>
      {parts.map((part, index) =>
        // Odd indexes are the placeholder names the split captured.
        index % 2 === 1 ? (
          <Fragment key={index}>{values[part] ?? `{${part}}`}</Fragment>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
