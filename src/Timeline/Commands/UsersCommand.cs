using JasperFx.CommandLine;
using Timeline.Access;

namespace Timeline.Commands;

/// <summary>Lower case, as typed on the command line.</summary>
#pragma warning disable CA1707, IDE1006
public enum UsersAction
{
    add,
    list,
    revoke,
}
#pragma warning restore CA1707, IDE1006

public sealed class UsersInput : NetCoreInput
{
    [Description("add, list or revoke")]
    public UsersAction Action { get; set; }

    [Description("The user's name (what the history shows as recordedBy)")]
    public string Name { get; set; } = "";

    [Description("The role(s) for `add`: recorder, auditor, analyst, investigator or admin; several separated by commas")]
    [FlagAlias("role", 'r')]
    public string RoleFlag { get; set; } = "";
}

/// <summary>
/// Users and their bearer tokens. `add` prints the new token once: only its hash is stored, so it cannot be
/// shown again (revoke and add again for a new one). `revoke` takes effect on the next request.
/// </summary>
[Description("Manage API users and their tokens: users add NAME --role ROLE | users list | users revoke NAME", Name = "users")]
public sealed class UsersCommand : JasperFxAsyncCommand<UsersInput>
{
    public UsersCommand()
    {
        Usage("List the users, their roles and whether they are active").Arguments(x => x.Action);
        Usage("Add a user (prints its token) or revoke one").Arguments(x => x.Action, x => x.Name);
    }

    public override async Task<bool> Execute(UsersInput input)
    {
        var host = input.BuildHost();
        try
        {
            var users = host.Services.GetRequiredService<UserDirectory>();
            return input.Action switch
            {
                UsersAction.add => await Add(users, input),
                UsersAction.revoke => await Revoke(users, input.Name),
                _ => await List(users),
            };
        }
        finally
        {
            if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        }
    }

    static async Task<bool> Add(UserDirectory users, UsersInput input)
    {
        var roles = new List<Role>();
        foreach (var name in input.RoleFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<Role>(name, ignoreCase: true, out var role) || !Enum.IsDefined(role))
            {
                Console.Error.WriteLine($"Unknown role '{name}': use recorder, auditor, analyst, investigator or admin.");
                return false;
            }
            roles.Add(role);
        }
        if (roles.Count == 0)
        {
            Console.Error.WriteLine("Give at least one role: users add NAME --role recorder|auditor|analyst|investigator|admin");
            return false;
        }
        if (!UserDirectory.NamePattern().IsMatch(input.Name))
        {
            Console.Error.WriteLine("A user name is 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.");
            return false;
        }
        var issued = await users.AddAsync(input.Name, roles, $"cli:{Environment.UserName}");
        if (issued is null)
        {
            Console.Error.WriteLine($"User {input.Name} already exists and is active: revoke it first to issue a new token.");
            return false;
        }
        Console.WriteLine($"Added {issued.Name} ({string.Join(", ", issued.Roles.Select(Name))}). Its token, shown only this once:");
        Console.WriteLine($"token: {issued.Token}");
        return true;
    }

    static async Task<bool> Revoke(UserDirectory users, string name)
    {
        if (!await users.RevokeAsync(name))
        {
            Console.Error.WriteLine($"No active user named {name}.");
            return false;
        }
        Console.WriteLine($"Revoked {name}: its token is refused from now on.");
        return true;
    }

    static async Task<bool> List(UserDirectory users)
    {
        var all = await users.ListAsync();
        if (all.Count == 0) Console.WriteLine("No users yet: users add NAME --role ROLE");
        foreach (var u in all)
        {
            var state = u.IsActive ? "active" : $"revoked {u.RevokedAt:yyyy-MM-dd HH:mm}Z";
            Console.WriteLine($"{u.Name,-24} {string.Join(",", u.Roles.Select(Name)),-32} {state,-24} token issued {u.IssuedAt:yyyy-MM-dd HH:mm}Z");
        }
        return true;
    }

    static string Name(Role role) => role.ToString().ToLowerInvariant();
}
