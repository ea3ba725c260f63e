// Server-Sent Events: `event: <name>` / `data: <json>` blocks.
export function openSse(app, res) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const stream = {
    closed: false,
    send(event, data) {
      if (this.closed) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (this.closed) return;
      this.closed = true;
      app.openStreams.delete(stream);
      res.end();
    },
  };
  app.openStreams.add(stream);
  res.on('close', () => {
    stream.closed = true;
    app.openStreams.delete(stream);
  });
  return stream;
}
