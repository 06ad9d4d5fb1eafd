/** Small response builders shared by the routes. */

/** A JSON response that is never cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}

/** `404 {"error": "..."}`. */
export function notFound(message = 'Not found'): Response {
  return json(404, { error: message });
}

/** `405` with the methods a route accepts. */
export function methodNotAllowed(allow: string): Response {
  return json(405, { error: `Method not allowed; use ${allow}` }, { Allow: allow });
}
