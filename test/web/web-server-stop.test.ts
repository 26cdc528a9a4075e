import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startWebServer } from '../../src/web/web-server.ts';

/** A raw connection to the server that has sent `text` and keeps the connection open. */
async function rawClient(url: string, text: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(text);
  let received = '';
  socket.on('data', (chunk) => {
    received += String(chunk);
  });
  // A stalled client is cut off, which it may see as a reset.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { closed, received: () => received };
}

describe('the web server stopping', () => {
  it('GIVEN a client that sent half a request and went quiet WHEN the server stops THEN its connection is closed at once, not after the grace that requests being answered get', async () => {
    const web = await startWebServer((_request, response) => response.end('ok'), '127.0.0.1', 0);
    const client = await rawClient(web.url, 'GET / HTTP/1.1\r\nHost: x\r\n');

    const started = performance.now();
    await web.close();
    await client.closed;

    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('GIVEN a request being answered WHEN the server stops THEN the answer still goes out before the connection closes', async () => {
    let answer = () => {};
    let asked = () => {};
    const arrived = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const web = await startWebServer(
      (_request, response) => {
        answer = () => response.end('finished');
        asked();
      },
      '127.0.0.1',
      0,
    );
    const client = await rawClient(web.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await arrived;

    const closing = web.close();
    answer();
    await closing;
    await client.closed;

    expect(client.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*finished$/);
  });
});
