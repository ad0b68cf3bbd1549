/** A request as the stand-in fetch recorded it: its JSON body parsed. */
export interface SentRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * Replaces `fetch` for a jsdom test: every request is recorded in `sent` and answered by the next
 * of `answers` (prepared by the test, one per request); an Error there is a rejected fetch (no
 * connection). With none prepared, `noAnswer` is thrown: by default a test error, so that an
 * unexpected request fails the test.
 */
export function stubFetch(noAnswer: () => Error = () => new Error('no answer prepared')): {
  readonly sent: SentRequest[];
  readonly answers: (Response | Error)[];
} {
  const sent: SentRequest[] = [];
  const answers: (Response | Error)[] = [];
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(url),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift() ?? noAnswer();
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { sent, answers };
}

/** A JSON answer (a problem's type for an error answer where the test says so). */
export const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
