// Starts GraphiQL with the server's defaults (an example query over all five providers, a
// "Recent" search tab, a "Steps" tab, a subscription tab when the server has one, and the headers the demo needs). Served from the same
// origin; no inline script, so the page's CSP holds.
(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var GraphQL = GraphiQL.GraphQL;
  // Subscriptions go over the WebSocket of this page's own origin (graphql-transport-ws). The
  // toolkit sends the Headers tab (the Refold header, a router-authorization secret) as the
  // connection_init payload, as HTTP requests carry them as headers.
  var socketUrl =
    (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + config.endpoint;
  var createdFetcher = GraphiQL.createFetcher({
    url: config.endpoint,
    subscriptionUrl: socketUrl,
  });

  // GraphiQL reads the operation name and parsed document off its query editor, which updates
  // them 100 ms after a change; switching tabs is a change, so a run within that time sent one
  // tab's operation name (and document, which picks HTTP or the WebSocket) with another tab's
  // text. Both are taken from the text being sent instead.
  function fetcher(params, options) {
    var parsed;
    try {
      parsed = GraphQL.parse(params.query);
    } catch (error) {
      // The server says what is wrong with it.
      return createdFetcher(params, options);
    }
    var names = parsed.definitions
      .filter(function (definition) {
        return definition.kind === 'OperationDefinition';
      })
      .map(function (operation) {
        return operation.name ? operation.name.value : undefined;
      });
    var name = params.operationName;
    if (!name || names.indexOf(name) < 0) name = names.length === 1 ? names[0] : undefined;
    var current = Object.assign({}, params, { operationName: name });
    return createdFetcher(current, Object.assign({}, options, { documentAST: parsed }));
  }

  var headers = JSON.stringify(config.headers, null, 2);
  var tabs = [{ query: config.query, headers: headers }];
  if (config.search) tabs.push({ query: config.search, headers: headers });
  if (config.steps) tabs.push({ query: config.steps, headers: headers });
  if (config.subscription) tabs.push({ query: config.subscription, headers: headers });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      defaultTabs: tabs,
      defaultHeaders: headers,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
})();
