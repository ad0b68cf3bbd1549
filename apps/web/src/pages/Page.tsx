import { useEffect, useRef, type ReactNode } from 'react';
import { t } from '../i18n';

/** The first screen after loading keeps the browser's focus (Tab reaches the skip link first). */
let firstScreen = true;

/**
 * A screen: after a client-side navigation its heading takes the focus, so a screen reader
 * announces the new page and Tab continues from there (focus order).
 */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t.app.documentTitle(title);
    if (firstScreen) firstScreen = false;
    else heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}
