using System.Globalization;

namespace PromptIntern.Datasets.Nl2Formula;

public enum ColumnKind { Key, Category, Number, Date, Text }

/// <summary>One column of a generated table: its header, kind, how questions name it (<see cref="Noun"/>), how a
/// question filters on one of its values (<see cref="Filter"/>, e.g. "in the {0} region") and how to draw a cell.</summary>
public sealed record ColumnSpec(string Header, ColumnKind Kind, string Noun, Func<Random, string> Draw, string Filter = "with {1} {0}", int Decimals = 0);

/// <summary>A family of realistic tables (sales, grades, inventory, ...): names for the table, the entity a row stands for,
/// a unique key column and the other columns a table may show.</summary>
public sealed record TableDomain(string Name, string[] TableNames, string Entity, string Entities, ColumnSpec Key, ColumnSpec[] Columns)
{
    public static readonly string[] FirstNames = ["Alice", "Brian", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kate", "Liam", "Maria", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wei", "Yara", "Zoe", "Omar", "Lena", "Marco", "Nina", "Ravi"];
    public static readonly string[] LastNames = ["Smith", "Garcia", "Chen", "Patel", "Kim", "Novak", "Silva", "Brown", "Nguyen", "Muller", "Rossi", "Khan", "Lopez", "Ito", "Evans", "Costa", "Ward", "Diaz", "Berg", "Okafor"];
    static readonly string[] Cities = ["Austin", "Boston", "Chicago", "Denver", "El Paso", "Fresno", "Houston", "Madrid", "Lisbon", "Oslo", "Paris", "Rome", "Vienna", "Berlin", "Dublin", "Prague", "Tokyo", "Osaka", "Seoul", "Lima", "Quito", "Cairo", "Nairobi", "Accra", "Perth", "Sydney", "Auckland", "Toronto", "Calgary", "Montreal", "Warsaw", "Athens", "Helsinki", "Zurich", "Geneva", "Porto", "Seville", "Milan", "Naples", "Munich"];
    static readonly string[] BookWords1 = ["Silent", "Hidden", "Last", "Golden", "Broken", "Distant", "Secret", "Burning", "Winter", "Lost", "Crimson", "Quiet"];
    static readonly string[] BookWords2 = ["River", "Garden", "Empire", "Letter", "Harbor", "Forest", "Signal", "Orchard", "Mirror", "Voyage", "Island", "Compass"];
    static readonly string[] ProjectNames = ["Apollo", "Beacon", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Indigo", "Juniper", "Keystone", "Lumen", "Mosaic", "Nimbus", "Orion", "Pioneer", "Quasar", "Redwood", "Summit", "Tundra", "Unity", "Vertex", "Willow", "Zenith", "Atlas", "Bolt", "Cedar", "Dune", "Echo", "Flint"];

    static Func<Random, string> Pick(params string[] values) => r => values[r.Next(values.Length)];
    static Func<Random, string> Int(int lo, int hi, int step = 1) => r => (lo + step * r.Next((hi - lo) / step + 1)).ToString(CultureInfo.InvariantCulture);
    static Func<Random, string> Dec(double lo, double hi, int decimals) =>
        r => Math.Round(lo + r.NextDouble() * (hi - lo), decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
    static Func<Random, string> Date(int year0, int year1) =>
        r => new DateTime(year0 + r.Next(year1 - year0 + 1), 1 + r.Next(12), 1 + r.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    static string Person(Random r) => $"{FirstNames[r.Next(FirstNames.Length)]} {LastNames[r.Next(LastNames.Length)]}";

    public static readonly IReadOnlyList<TableDomain> All =
    [
        new("sales", ["Sales Report", "Regional Sales", "Quarterly Sales", "Order Log"], "order", "orders",
            new ColumnSpec("Order ID", ColumnKind.Key, "order", r => "SO-" + (1000 + r.Next(9000))),
            [
                new("Region", ColumnKind.Category, "region", Pick("North", "South", "East", "West", "Central"), "in the {0} region"),
                new("Product", ColumnKind.Category, "product", Pick("Laptop", "Monitor", "Keyboard", "Mouse", "Printer", "Tablet"), "for {0}"),
                new("Salesperson", ColumnKind.Text, "salesperson", Person, "handled by {0}"),
                new("Units", ColumnKind.Number, "units sold", Int(1, 60)),
                new("Unit Price", ColumnKind.Number, "unit price", Dec(5, 900, 2), Decimals: 2),
                new("Revenue", ColumnKind.Number, "revenue", Dec(100, 25000, 2), Decimals: 2),
                new("Order Date", ColumnKind.Date, "order date", Date(2021, 2024)),
            ]),
        new("students", ["Class Grades", "Exam Results", "Term Scores", "Gradebook"], "student", "students",
            new ColumnSpec("Student", ColumnKind.Key, "student", Person),
            [
                new("Class", ColumnKind.Category, "class", Pick("7A", "7B", "8A", "8B", "9A"), "in class {0}"),
                new("Math", ColumnKind.Number, "math score", Int(35, 100)),
                new("Science", ColumnKind.Number, "science score", Int(30, 100)),
                new("English", ColumnKind.Number, "English score", Int(40, 100)),
                new("Attendance", ColumnKind.Number, "attendance", Int(60, 100)),
                new("Club", ColumnKind.Category, "club", Pick("Chess", "Drama", "Robotics", "Choir", "Football"), "in the {0} club"),
            ]),
        new("inventory", ["Inventory", "Stock List", "Warehouse Stock", "Parts Inventory"], "item", "items",
            new ColumnSpec("Item", ColumnKind.Key, "item", r => Pick("Desk", "Chair", "Lamp", "Cable", "Router", "Shelf", "Kettle", "Stapler", "Drill", "Fan")(r) + " " + Pick("A", "B", "C", "X", "Pro", "Mini", "Max")(r) + (10 + r.Next(90))),
            [
                new("Category", ColumnKind.Category, "category", Pick("Electronics", "Furniture", "Office", "Kitchen", "Tools"), "in the {0} category"),
                new("Warehouse", ColumnKind.Category, "warehouse", Pick("Dallas", "Denver", "Reno", "Austin"), "stored in {0}"),
                new("Stock", ColumnKind.Number, "stock", Int(0, 500)),
                new("Reorder Level", ColumnKind.Number, "reorder level", Int(10, 100, 5)),
                new("Unit Cost", ColumnKind.Number, "unit cost", Dec(1, 400, 2), Decimals: 2),
                new("Last Restock", ColumnKind.Date, "last restock date", Date(2022, 2024)),
            ]),
        new("employees", ["Employees", "Staff Directory", "Payroll", "HR Records"], "employee", "employees",
            new ColumnSpec("Employee", ColumnKind.Key, "employee", Person),
            [
                new("Department", ColumnKind.Category, "department", Pick("Sales", "HR", "IT", "Finance", "Marketing", "Operations"), "in the {0} department"),
                new("Title", ColumnKind.Category, "job title", Pick("Analyst", "Manager", "Engineer", "Associate", "Director"), "working as {0}"),
                new("Salary", ColumnKind.Number, "salary", Int(38000, 150000, 500)),
                new("Years", ColumnKind.Number, "years of service", Int(0, 30)),
                new("Hire Date", ColumnKind.Date, "hire date", Date(1995, 2024)),
                new("City", ColumnKind.Category, "city", Pick("London", "Leeds", "Bristol", "Glasgow"), "based in {0}"),
            ]),
        new("sports", ["Player Stats", "Season Statistics", "League Leaders", "Team Roster"], "player", "players",
            new ColumnSpec("Player", ColumnKind.Key, "player", Person),
            [
                new("Team", ColumnKind.Category, "team", Pick("Lions", "Hawks", "Bears", "Wolves", "Sharks"), "on the {0}"),
                new("Position", ColumnKind.Category, "position", Pick("Guard", "Forward", "Center"), "playing {0}"),
                new("Games", ColumnKind.Number, "games played", Int(10, 82)),
                new("Points", ColumnKind.Number, "points", Int(50, 2200)),
                new("Assists", ColumnKind.Number, "assists", Int(0, 700)),
                new("Rebounds", ColumnKind.Number, "rebounds", Int(10, 900)),
            ]),
        new("weather", ["Weather Log", "City Climate", "Monthly Weather", "Climate Summary"], "city", "cities",
            new ColumnSpec("City", ColumnKind.Key, "city", r => Cities[r.Next(Cities.Length)]),
            [
                new("Condition", ColumnKind.Category, "condition", Pick("Sunny", "Cloudy", "Rain", "Snow", "Windy"), "with {0} weather"),
                new("Max Temp", ColumnKind.Number, "maximum temperature", Dec(-5, 40, 1), Decimals: 1),
                new("Min Temp", ColumnKind.Number, "minimum temperature", Dec(-20, 20, 1), Decimals: 1),
                new("Rainfall", ColumnKind.Number, "rainfall", Int(0, 300)),
                new("Humidity", ColumnKind.Number, "humidity", Int(20, 100)),
                new("Date", ColumnKind.Date, "date", Date(2023, 2024)),
            ]),
        new("books", ["Library Catalog", "Book List", "Reading List", "Bookstore Stock"], "book", "books",
            new ColumnSpec("Title", ColumnKind.Key, "book", r => $"The {BookWords1[r.Next(BookWords1.Length)]} {BookWords2[r.Next(BookWords2.Length)]}"),
            [
                new("Author", ColumnKind.Text, "author", Person, "written by {0}"),
                new("Genre", ColumnKind.Category, "genre", Pick("Fiction", "History", "Science", "Poetry", "Biography"), "in the {0} genre"),
                new("Year", ColumnKind.Number, "publication year", Int(1950, 2024)),
                new("Pages", ColumnKind.Number, "page count", Int(90, 900)),
                new("Copies", ColumnKind.Number, "copies", Int(1, 12)),
                new("Rating", ColumnKind.Number, "rating", Dec(1, 5, 1), Decimals: 1),
            ]),
        new("projects", ["Project Tracker", "Project Portfolio", "Budget Overview", "Project Status"], "project", "projects",
            new ColumnSpec("Project", ColumnKind.Key, "project", r => ProjectNames[r.Next(ProjectNames.Length)]),
            [
                new("Manager", ColumnKind.Text, "manager", Person, "managed by {0}"),
                new("Status", ColumnKind.Category, "status", Pick("Planned", "Active", "Completed", "On Hold"), "with status {0}"),
                new("Priority", ColumnKind.Category, "priority", Pick("High", "Medium", "Low"), "with {0} priority"),
                new("Budget", ColumnKind.Number, "budget", Int(5000, 500000, 1000)),
                new("Spent", ColumnKind.Number, "amount spent", Int(0, 400000, 500)),
                new("Start Date", ColumnKind.Date, "start date", Date(2020, 2024)),
            ]),
    ];
}
