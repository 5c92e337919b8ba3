/*
 * scenario_names: the display names of generated agents.
 *
 * Generated agents get names from a floor-wide mix of cultures, each
 * name built within one culture (a Polish given name with a Polish family
 * name) and in that culture's order, so names look like real people
 * rather than a random word salad.  Several scripts are here on purpose:
 * the dashboard must cope with accents, ligatures and double-width CJK.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario_int.h"

struct scenario_culture {
	bool family_first;
	const char *sep;
	const char *given[10];
	const char *family[10];
};

static const struct scenario_culture scenario_cultures[] = {
	{ false, " ",
	  { "José", "María", "Lucía", "Javier", "Carmen", "Álvaro", "Inés", "Sergio", "Nuria",
	    "Raúl" },
	  { "Álvarez", "García", "Fernández", "Muñoz", "Ortega", "Castillo", "Navarro", "Romero",
	    "Peña", "Domínguez" } },
	{ false, " ",
	  { "Zoë", "Jürgen", "Lena", "Matthias", "Jörg", "Anke", "Felix", "Hannah", "Björn",
	    "Sabine" },
	  { "Müller", "Schröder", "Weiß", "Becker", "Hoffmann", "Krüger", "Schäfer", "Wagner",
	    "Köhler", "Vogel" } },
	{ false, " ",
	  { "Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Krzysztof", "Zofia", "Michał",
	    "Katarzyna", "Wojciech", "Ewa" },
	  { "Wójcik", "Nowak", "Kowalczyk", "Wróbel", "Mazur", "Krawczyk", "Dudek", "Zając",
	    "Król", "Pawlak" } },
	{ false, " ",
	  { "Søren", "Mette", "Lars", "Ingrid", "Anders", "Sigrid", "Mads", "Freja", "Jens", "Astrid" },
	  { "Østergaard", "Jørgensen", "Nielsen", "Hansen", "Bjørnstad", "Dahl", "Vestergaard",
	    "Berg", "Holm", "Løvland" } },
	{ false, " ",
	  { "Anaïs", "Benoît", "Élodie", "François", "Chloé", "Mathieu", "Cécile", "Théo",
	    "Margaux", "Jérôme" },
	  { "Lefèvre", "Dubois", "Moreau", "Girard", "Bonnet", "Rousseau", "Mercier", "Chevalier",
	    "Faure", "Lambert" } },
	{ false, " ",
	  { "Ngozi", "Chinedu", "Adaeze", "Emeka", "Funmilayo", "Oluwaseun", "Amaka", "Tunde",
	    "Yetunde", "Ifeanyi" },
	  { "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Obi",
	    "Ogunleye", "Chukwu" } },
	{ true, "",
	  { "芳", "伟", "娜", "秀英", "敏", "静", "强", "磊", "洋", "婷" },
	  { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴" } },
	{ true, "",
	  { "陽菜", "蓮", "結衣", "大翔", "美咲", "悠真", "葵", "湊", "さくら", "健太" },
	  { "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤" } },
	{ false, " ",
	  { "Priya", "Arjun", "Ananya", "Rahul", "Deepika", "Vikram", "Kavya", "Rohan", "Sneha",
	    "Aditya" },
	  { "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Kulkarni", "Banerjee",
	    "Singh" } },
	{ false, " ",
	  { "Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Gülşen", "Oğuz", "Selin",
	    "Çağla" },
	  { "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
	    "Doğan" } },
	{ false, " ",
	  { "João", "Ana", "Thiago", "Beatriz", "Gonçalo", "Letícia", "Rafael", "Mariana", "Luís",
	    "Camila" },
	  { "Conceição", "Gonçalves", "Silva", "Araújo", "Magalhães", "Carvalho", "Simões",
	    "Pereira", "Antunes", "Brandão" } },
	{ false, " ",
	  { "Siobhán", "Liam", "Emma", "Oliver", "Aoife", "Jack", "Grace", "Connor", "Niamh",
	    "Harry" },
	  { "O'Brien", "Murphy", "Smith", "Walsh", "Thompson", "Byrne", "Clarke", "Kelly",
	    "Hughes", "Evans" } },
	{ false, " ",
	  { "Fatima", "Omar", "Layla", "Youssef", "Nour", "Karim", "Salma", "Hassan", "Amira",
	    "Tariq" },
	  { "El-Amin", "Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Farouk", "Aziz",
	    "Rahman", "Qasim" } },
	{ true, " ",
	  { "Thị Lan", "Văn Minh", "Ngọc Anh", "Quang Huy", "Thu Trang", "Đức Anh", "Hải Yến",
	    "Minh Châu", "Tuấn Kiệt", "Bảo Ngọc" },
	  { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ" } },
	{ false, " ",
	  { "Eleni", "Giorgos", "Dimitra", "Nikos", "Katerina", "Yannis", "Sofia", "Kostas",
	    "Anastasia", "Petros" },
	  { "Papadopoulos", "Georgiou", "Nikolaidis", "Dimitriou", "Christodoulou", "Ioannou",
	    "Vlachos", "Angelopoulos", "Kyriakou", "Makris" } },
	{ false, " ",
	  { "Aino", "Juha", "Päivi", "Mikko", "Sanna", "Jari", "Tiina", "Ville", "Satu", "Antti" },
	  { "Virtanen", "Mäkinen", "Nieminen", "Järvinen", "Heikkinen", "Koskinen", "Hämäläinen",
	    "Lehtonen", "Mäkelä", "Räsänen" } },
};

#define SCENARIO_NAMES_CULTURES (sizeof scenario_cultures / sizeof scenario_cultures[0])

/* A 64-bit mix of the pool id and the agent's place in it: names then
 * depend on nothing else, so adding a pool never renames other pools'
 * agents, and every machine draws the same names. */
static uint64_t scenario_names_hash(const char *pool, uint32_t k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)pool; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

void scenario_names_pick(char out[PROTO_NAME_MAX + 1], const char *pool, uint32_t k)
{
	uint64_t h = scenario_names_hash(pool, k);
	const struct scenario_culture *c = &scenario_cultures[h % SCENARIO_NAMES_CULTURES];
	const char *given = c->given[(h >> 24) % 10];
	const char *family = c->family[(h >> 44) % 10];

	if (c->family_first)
		snprintf(out, PROTO_NAME_MAX + 1, "%s%s%s", family, c->sep, given);
	else
		snprintf(out, PROTO_NAME_MAX + 1, "%s%s%s", given, c->sep, family);
}
