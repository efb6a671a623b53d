using MiniGptMed.DicomNode.Http.Security;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>The console's users and API keys (migration 0004) on each engine.</summary>
public abstract partial class DatabaseContractTests
{
    [Fact]
    public async Task Users_AddFindAndVerify_ADuplicateNameWritesNothing()
    {
        var database = await OpenAsync();
        var hash = PasswordHashing.Hash("a long enough password");
        Assert.True(await database.Users.AddAsync("alice", Roles.Admin, hash));
        Assert.False(await database.Users.AddAsync("alice", Roles.Viewer, PasswordHashing.Hash("another password here")));

        var found = await database.Users.FindWithHashAsync("alice");
        Assert.NotNull(found);
        Assert.Equal(Roles.Admin, found.Value.User.Role);
        Assert.True(PasswordHashing.Verify("a long enough password", found.Value.PasswordHash));
        Assert.False(PasswordHashing.Verify("a long enough passworD", found.Value.PasswordHash));
        Assert.Null(await database.Users.FindAsync("bob"));
    }

    [Fact]
    public async Task ApiKeys_FindTheirUser_AndGoWithIt()
    {
        var database = await OpenAsync();
        await database.Users.AddAsync("script", Roles.Viewer, PasswordHashing.Hash("a long enough password"));
        var key = ApiKeys.Create();
        Assert.True(await database.Users.AddKeyAsync("script", ApiKeys.HashOf(key)));
        Assert.False(await database.Users.AddKeyAsync("nobody", ApiKeys.HashOf(ApiKeys.Create())));

        Assert.Equal("script", (await database.Users.FindByKeyAsync(ApiKeys.HashOf(key)))?.Name);
        Assert.Equal(1, (await database.Users.ListAsync()).Single().ApiKeys);
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM api_keys WHERE key_hash = '{key}'"));

        Assert.True(await database.Users.RemoveAsync("script"));
        Assert.Null(await database.Users.FindByKeyAsync(ApiKeys.HashOf(key)));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM api_keys"));
    }
}
