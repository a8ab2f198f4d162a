using SignalRChat.Hub.Hosting;

// Configuration: appsettings.json, environment (Cluster__Role), command line (--ConnectionStrings:Redis=127.0.0.1:6379).
var app = HubApplication.Build(args);
ShutdownDeadline.Enforce(app);
app.Run();
