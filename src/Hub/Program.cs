using SignalRChat.Hub.Hosting;

// Before anything uses a shared ArrayPool: the runtime reads its size once.
SharedArrayPoolSize.Apply();

// Configuration: appsettings.json, environment (Cluster__Role), command line (--ConnectionStrings:Redis=127.0.0.1:6379).
var app = HubApplication.Build(args);
ShutdownDeadline.Enforce(app);
app.Run();
