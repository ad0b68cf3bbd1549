import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A screen: its heading takes the focus when the screen opens, so a screen reader announces the
 * new page and Tab continues from there (focus order after client-side navigation).
 */
export function Page({ title, children, headingId }: { title: string; children: ReactNode; headingId?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Wohnintegrationshilfe Köln`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading} id={headingId}>{title}</h1>
      {children}
    </>
  );
}
